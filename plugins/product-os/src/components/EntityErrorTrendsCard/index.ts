export { EntityErrorTrendsCard } from './EntityErrorTrendsCard';
