/**
 * Gives every element a size for the current test file, so that recharts, which measures its
 * container, draws (jsdom lays nothing out and measures everything as 0 by 0).
 */
export function stubElementSize(width: number, height: number) {
  let spy: jest.SpyInstance;
  beforeEach(() => {
    spy = jest
      .spyOn(HTMLElement.prototype, 'getBoundingClientRect')
      .mockReturnValue({
        width,
        height,
        top: 0,
        left: 0,
        bottom: height,
        right: width,
        x: 0,
        y: 0,
        toJSON: () => ({}),
      });
  });
  afterEach(() => spy.mockRestore());
}
