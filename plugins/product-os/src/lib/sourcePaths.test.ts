import { repositoryPath, withRepositoryPaths } from './sourcePaths';

describe('repositoryPath', () => {
  it("reads from the repository's root when the repository is known", () => {
    expect(
      repositoryPath(
        '/home/runner/work/checkout-api/checkout-api/src/cart/cart.ts',
        'acme/checkout-api',
      ),
    ).toBe('src/cart/cart.ts');
    expect(
      repositoryPath(
        '/srv/builds/repos/webshop/services/catalog/src/list.ts',
        'acme/webshop',
      ),
    ).toBe('services/catalog/src/list.ts');
  });

  it("takes off a machine's known prefixes", () => {
    expect(repositoryPath('/home/ci/src/cart.ts')).toBe('src/cart.ts');
    expect(repositoryPath('/Users/dana/src/cart.ts')).toBe('src/cart.ts');
    expect(repositoryPath('/app/src/cart.ts')).toBe('src/cart.ts');
    expect(repositoryPath('/usr/src/app/dist/cart.js')).toBe('dist/cart.js');
    expect(repositoryPath('/var/task/handler.js')).toBe('handler.js');
    expect(repositoryPath('webpack://shop/./src/cart.tsx')).toBe(
      'src/cart.tsx',
    );
    expect(repositoryPath('app:///src/cart.ts')).toBe('src/cart.ts');
    expect(repositoryPath('C:\\Users\\dana\\shop\\src\\cart.ts')).toBe(
      'shop/src/cart.ts',
    );
  });

  it("keeps a library's path from node_modules", () => {
    expect(
      repositoryPath('/app/node_modules/express/lib/router/index.js'),
    ).toBe('node_modules/express/lib/router/index.js');
  });

  it('leaves a path it cannot place, and a relative one, as it is', () => {
    expect(repositoryPath('/opt/other/cart.ts')).toBe('/opt/other/cart.ts');
    expect(repositoryPath('src/cart.ts', 'acme/shop')).toBe('src/cart.ts');
  });
});

describe('withRepositoryPaths', () => {
  it('rewrites the file inside a culprit and leaves routes alone', () => {
    expect(
      withRepositoryPaths(
        'charge(/home/ci/checkout-api/src/payments/charge.ts)',
        'acme/checkout-api',
      ),
    ).toBe('charge(src/payments/charge.ts)');
    expect(withRepositoryPaths('POST /api/checkout/pay')).toBe(
      'POST /api/checkout/pay',
    );
    expect(
      withRepositoryPaths('at C:\\build\\shop\\src\\cart.ts', 'acme/shop'),
    ).toBe('at src/cart.ts');
  });
});
