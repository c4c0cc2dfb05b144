export { EntitySyncStatusCard } from './EntitySyncStatusCard';
