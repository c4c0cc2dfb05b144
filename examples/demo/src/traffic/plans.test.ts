import { HOUR_MS, isWorkingHour } from '../product/rhythm';
import { checkoutApi, demoServices, storefront } from '../product/services';
import { HourPlan, planHour, shaOf } from './plans';

// Two weeks of hours from Monday 3 June 2024, 00:00 UTC.
const FROM = Date.UTC(2024, 5, 3);
const HOURS = Array.from({ length: 14 * 24 }, (_, i) => FROM + i * HOUR_MS);

function allPlans(): Array<{ hour: number; plan: HourPlan }> {
  return demoServices.flatMap(service =>
    HOURS.map(hour => ({ hour, plan: planHour(service, hour) })),
  );
}

describe('planHour', () => {
  it('plans the same hour of a service the same way every time', () => {
    for (const hour of HOURS.slice(0, 48)) {
      expect(planHour(storefront, hour)).toEqual(planHour(storefront, hour));
    }
  });

  it('plans different services and hours differently', () => {
    const shas = allPlans().flatMap(({ plan }) =>
      plan.deploys.map(deploy => deploy.sha),
    );

    expect(new Set(shas).size).toBe(shas.length);
  });

  it('deploys only in working hours, and does deploy then', () => {
    const plans = allPlans();
    const deployHours = plans
      .filter(({ plan }) => plan.deploys.length > 0)
      .map(({ hour }) => hour);

    expect(deployHours.length).toBeGreaterThan(20);
    expect(deployHours.filter(hour => !isWorkingHour(hour))).toEqual([]);
  });

  it('deploys each service about as often per working day as it says', () => {
    const workingDays = 10;
    const deploys = planHoursOf(checkoutApi).flatMap(plan => plan.deploys);

    expect(deploys.length / workingDays).toBeGreaterThan(
      checkoutApi.deploysPerDay / 2,
    );
    expect(deploys.length / workingDays).toBeLessThan(
      checkoutApi.deploysPerDay * 2,
    );
  });

  it('orders a deploy: opened, merged, started within its hour, finished', () => {
    for (const { hour, plan } of allPlans()) {
      for (const deploy of plan.deploys) {
        expect(deploy.openedAt).toBeLessThan(deploy.mergedAt);
        expect(deploy.mergedAt).toBeLessThan(deploy.deployStartedAt);
        expect(deploy.deployStartedAt).toBeGreaterThanOrEqual(hour);
        expect(deploy.deployStartedAt).toBeLessThan(hour + HOUR_MS);
        expect(deploy.deployFinishedAt).toBeGreaterThan(deploy.deployStartedAt);
        expect(deploy.files.length).toBeGreaterThan(0);
        expect(
          deploy.files.every(file => file.startsWith(deploy.service.path)),
        ).toBe(true);
      }
    }
  });

  it('pages checkout-api every night at 02:00 for the order export, and resolves it', () => {
    const nightly = planHoursOf(checkoutApi)
      .flatMap(plan => plan.incidents)
      .filter(incident => incident.title.includes('nightly order export'));

    expect(nightly).toHaveLength(14);
    for (const incident of nightly) {
      expect(new Date(incident.triggeredAt).getUTCHours()).toBe(2);
      expect(incident.acknowledgedAt).toBeGreaterThan(incident.triggeredAt);
      expect(incident.resolvedAt).toBeGreaterThan(incident.acknowledgedAt);
    }
  });

  it('raises incidents only for services that have a PagerDuty service', () => {
    const incidents = allPlans().flatMap(({ plan }) => plan.incidents);

    expect(incidents.length).toBeGreaterThan(0);
    expect(
      incidents.filter(incident => !incident.service.pagerduty?.serviceId),
    ).toEqual([]);
  });
});

describe('shaOf', () => {
  it('makes a 40-digit sha that depends only on its seed', () => {
    expect(shaOf('checkout-api:initial')).toMatch(/^[0-9a-f]{40}$/);
    expect(shaOf('checkout-api:initial')).toBe(shaOf('checkout-api:initial'));
    expect(shaOf('checkout-api:initial')).not.toBe(shaOf('storefront:initial'));
  });
});

function planHoursOf(service: typeof checkoutApi): HourPlan[] {
  return HOURS.map(hour => planHour(service, hour));
}
