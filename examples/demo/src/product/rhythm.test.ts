import { HOUR_MS, isWorkingHour, startOfHour, trafficLevel } from './rhythm';

// Monday 3 June 2024 and the Saturday after, in UTC (the shop's clock).
const monday = (hour: number, minute = 0) => Date.UTC(2024, 5, 3, hour, minute);
const saturday = (hour: number, minute = 0) =>
  Date.UTC(2024, 5, 8, hour, minute);

describe('trafficLevel', () => {
  it('peaks in the evening at 1 and is quietest in the night', () => {
    expect(trafficLevel(monday(19))).toBeCloseTo(1, 5);
    expect(trafficLevel(monday(19))).toBeGreaterThan(trafficLevel(monday(3)));
    expect(trafficLevel(monday(3))).toBeLessThan(0.5);

    const hours = Array.from({ length: 24 }, (_, hour) =>
      trafficLevel(monday(hour)),
    );
    expect(hours.indexOf(Math.max(...hours))).toBe(19);
    expect(hours.indexOf(Math.min(...hours))).toBe(7);
  });

  it('climbs through the day towards the evening peak', () => {
    expect(trafficLevel(monday(9))).toBeLessThan(trafficLevel(monday(13)));
    expect(trafficLevel(monday(13))).toBeLessThan(trafficLevel(monday(17)));
    expect(trafficLevel(monday(17))).toBeLessThan(trafficLevel(monday(19)));
  });

  it('is a little busier at the weekend', () => {
    expect(trafficLevel(saturday(19)) / trafficLevel(monday(19))).toBeCloseTo(
      1.15,
      5,
    );
  });
});

describe('isWorkingHour', () => {
  it('is true on weekdays from 09:00 up to 18:00', () => {
    expect(isWorkingHour(monday(9))).toBe(true);
    expect(isWorkingHour(monday(13, 30))).toBe(true);
    expect(isWorkingHour(monday(17, 59))).toBe(true);
  });

  it('is false before 09:00, from 18:00, and at the weekend', () => {
    expect(isWorkingHour(monday(8, 59))).toBe(false);
    expect(isWorkingHour(monday(18))).toBe(false);
    expect(isWorkingHour(monday(2))).toBe(false);
    expect(isWorkingHour(saturday(11))).toBe(false);
  });
});

describe('startOfHour', () => {
  it('rounds down to the whole hour', () => {
    expect(startOfHour(monday(14, 37) + 12_345)).toBe(monday(14));
    expect(startOfHour(monday(14))).toBe(monday(14));
    expect(HOUR_MS).toBe(3_600_000);
  });
});
