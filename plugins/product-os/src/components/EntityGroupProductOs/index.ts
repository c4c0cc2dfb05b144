export { EntityGroupProductOsContent } from './EntityGroupProductOsContent';
export { EntityTeamHealthCard } from './EntityTeamHealthCard';
