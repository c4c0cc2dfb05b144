import { IngestSignals } from './IngestSignals';

describe('IngestSignals', () => {
  it('tells every listener, even when one of them throws, until it unsubscribes', () => {
    const signals = new IngestSignals();
    const heard: string[] = [];
    signals.subscribe(() => {
      throw new Error('listener failed');
    });
    const unsubscribe = signals.subscribe(s =>
      heard.push(`${s.entityRef} ${s.reason}`),
    );

    expect(() =>
      signals.notify('component:default/checkout-api', 'incident_triggered'),
    ).not.toThrow();
    unsubscribe();
    signals.notify('component:default/checkout-api', 'error_rise');

    expect(heard).toEqual([
      'component:default/checkout-api incident_triggered',
    ]);
  });
});
