export { EntityAnalyticsCard } from './EntityAnalyticsCard';
