export { EntityProductOsTimeline } from './EntityProductOsTimeline';
