import { productOsPlugin } from './plugin';
import { productOsApiRef } from './api';

describe('productOsPlugin', () => {
  it('is the product-os plugin and provides the Product OS API', () => {
    expect(productOsPlugin.getId()).toBe('product-os');
    const apiRefs = [...productOsPlugin.getApis()].map(factory => factory.api);
    expect(apiRefs).toContain(productOsApiRef);
  });
});
