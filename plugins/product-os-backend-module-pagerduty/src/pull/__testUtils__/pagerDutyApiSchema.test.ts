import {
  answerProblems,
  documentedQueryParameters,
} from './pagerDutyApiSchema';
import { restIncident } from './restFixtures';

/* The test server's answers are checked against PagerDuty's description: a mistake must show. */

const incident = restIncident({
  id: 'PT4KHLK',
  serviceId: 'PIJ90N7',
  createdAt: Date.parse('2026-12-01T10:00:00Z'),
  status: 'resolved',
  statusAt: Date.parse('2026-12-01T10:40:00Z'),
});
const page = (incidents: object[]) => ({
  incidents,
  limit: 100,
  offset: 0,
  more: false,
  total: null,
});

describe('answerProblems', () => {
  it('accepts an answer as PagerDuty documents it', () => {
    expect(answerProblems('/incidents', 200, page([incident]))).toEqual([]);
  });

  it('finds a misspelt field, a wrong type, a value outside its enum and a missing list', () => {
    const { resolved_at, ...rest } = incident as any;
    expect(
      answerProblems(
        '/incidents',
        200,
        page([{ ...rest, resolvedAt: resolved_at }]),
      ),
    ).toEqual(["/incidents/0/resolvedAt is not a field of PagerDuty's schema"]);
    expect(
      answerProblems(
        '/incidents',
        200,
        page([{ ...incident, incident_number: '2' }]),
      ),
    ).toEqual(['/incidents/0/incident_number must be integer']);
    expect(
      answerProblems(
        '/incidents',
        200,
        page([{ ...incident, status: 'closed' }]),
      ),
    ).toContain(
      '/incidents/0/status must be equal to one of the allowed values',
    );
    expect(answerProblems('/incidents', 200, { items: [] })).toEqual(
      expect.arrayContaining(["/ must have required property 'incidents'"]),
    );
  });

  it('knows the query parameters of each call', () => {
    expect([...documentedQueryParameters('/incidents')]).toEqual(
      expect.arrayContaining([
        'service_ids[]',
        'since',
        'until',
        'statuses[]',
        'date_range',
        'limit',
        'offset',
      ]),
    );
    expect(documentedQueryParameters('/incidents/{id}').has('time_zone')).toBe(
      false,
    );
  });
});
