export { EntityIncidentHistoryCard } from './EntityIncidentHistoryCard';
