export { EntityDiagnosesCard } from './EntityDiagnosesCard';
