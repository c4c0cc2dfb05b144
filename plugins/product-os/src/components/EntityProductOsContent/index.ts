export { EntityProductOsContent } from './EntityProductOsContent';
