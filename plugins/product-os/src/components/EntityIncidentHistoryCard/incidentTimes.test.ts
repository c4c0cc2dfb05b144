import { describeIncidentTimes } from './incidentTimes';
import { incidents } from '../../__testUtils__/fixtures';

describe('describeIncidentTimes', () => {
  it('measures a resolved incident from trigger to acknowledge and resolve', () => {
    expect(describeIncidentTimes(incidents[1])).toEqual({
      timeToAcknowledge: '12m',
      timeToResolve: '2h 45m',
      duration: '2h 45m',
    });
  });

  it('counts an open incident as ongoing until now', () => {
    const now = Date.parse('2025-03-12T10:20:00Z');
    expect(describeIncidentTimes(incidents[0], now)).toEqual({
      timeToAcknowledge: '4m',
      timeToResolve: '—',
      duration: '2h (ongoing)',
    });
  });
});
