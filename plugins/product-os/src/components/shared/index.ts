export { AsyncContent } from './AsyncContent';
export type { AsyncValue } from './AsyncContent';
export { ChartFrame } from './ChartFrame';
export { NoData } from './NoData';
export { ProductOsCard } from './ProductOsCard';
export { Sparkline } from './Sparkline';
export { useEntityQuery } from './useEntityQuery';
export { WindowToggle } from './WindowToggle';
