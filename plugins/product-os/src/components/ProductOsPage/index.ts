export { ProductOsPage } from './ProductOsPage';
