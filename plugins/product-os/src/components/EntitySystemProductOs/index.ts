export { EntitySystemProductOsContent } from './EntitySystemProductOsContent';
