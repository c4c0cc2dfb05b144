import { ConfigReader } from '@backstage/config';
import { DEFAULT_HEALTH_WEIGHTS } from '../read/healthScore';
import { DEFAULT_TIE_MARGIN } from '@internal/plugin-product-os-common';
import { readHealthConfig } from './healthConfig';

describe('readHealthConfig', () => {
  it('has the documented defaults', () => {
    const config = readHealthConfig(new ConfigReader({}));
    expect(config.weights).toEqual(DEFAULT_HEALTH_WEIGHTS);
    expect(config.tieMargin).toBe(DEFAULT_TIE_MARGIN);
    expect(config.snapshotSchedule.frequency).toEqual({ hours: 1 });
  });

  it('replaces the weights it is given and keeps the others', () => {
    const config = readHealthConfig(
      new ConfigReader({
        productOs: {
          health: {
            weights: {
              openIncidents: { points: 30 },
              errorVolume: { points: 0, max: 0 },
            },
            tieMargin: 2,
            snapshotSchedule: {
              frequency: { minutes: 30 },
              timeout: { minutes: 5 },
            },
          },
        },
      }),
    );
    expect(config.weights.openIncidents).toEqual({ points: 30, max: 50 });
    expect(config.weights.errorVolume).toEqual({ points: 0, max: 0 });
    expect(config.weights.mttr).toEqual(DEFAULT_HEALTH_WEIGHTS.mttr);
    expect(config.tieMargin).toBe(2);
    expect(config.snapshotSchedule.frequency).toEqual({ minutes: 30 });
  });

  it('refuses an unknown input and a negative weight', () => {
    expect(() =>
      readHealthConfig(
        new ConfigReader({
          productOs: { health: { weights: { uptime: { points: 1 } } } },
        }),
      ),
    ).toThrow(
      /uptime is not an input of the health score; the inputs are openIncidents/,
    );
    expect(() =>
      readHealthConfig(
        new ConfigReader({
          productOs: { health: { weights: { mttr: { points: -1 } } } },
        }),
      ),
    ).toThrow(/points and max must be 0 or more/);
    expect(() =>
      readHealthConfig(
        new ConfigReader({ productOs: { health: { tieMargin: -1 } } }),
      ),
    ).toThrow(/tieMargin must be 0 or more/);
  });
});
