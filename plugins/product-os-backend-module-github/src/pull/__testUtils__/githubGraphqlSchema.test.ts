import { DEPLOYMENT_STATUSES_QUERY } from '../deploymentStatuses';
import { pullRequestDetailsQuery } from '../pullRequestDetails';
import { checkQuery, queryCost } from './githubGraphqlSchema';

// Building GitHub's schema from its SDL takes a few seconds.
jest.setTimeout(60_000);

describe("GitHub's GraphQL schema, as the fake checks queries against it", () => {
  it('accepts the queries the pull sends', () => {
    expect(checkQuery(pullRequestDetailsQuery(3)).problems).toEqual([]);
    expect(checkQuery(DEPLOYMENT_STATUSES_QUERY).problems).toEqual([]);
  });

  it('refuses a misnamed field, a missing argument and a variable of the wrong type', () => {
    expect(
      checkQuery(pullRequestDetailsQuery(1).replace('changeType', 'status'))
        .problems,
    ).toEqual([
      'Cannot query field "status" on type "PullRequestChangedFile".',
    ]);
    expect(
      checkQuery('{ repository(owner: "acme") { name } }').problems,
    ).toEqual([
      'Field "repository" argument "name" of type "String!" is required, but it was not provided.',
    ]);
    expect(
      checkQuery(DEPLOYMENT_STATUSES_QUERY.replace('[ID!]!', 'String!'))
        .problems.length,
    ).toBeGreaterThan(0);
  });

  it('charges as GitHub documents: a hundredth of the connection pages a query may read', () => {
    // GitHub's worked example: 1 + 100 + 5,000 requests, 51 points.
    const example = checkQuery(`{
      viewer { login repositories(first: 100) { edges { node { id
        issues(first: 50) { edges { node { id
          labels(first: 60) { edges { node { id name } } } } } } } } } }
    }`);
    expect(example.problems).toEqual([]);
    expect(queryCost(example.document!, {})).toBe(51);
    // The files and commits of 62 pull requests: 124 pages, 1 point; of 100: 2 points.
    const details = (n: number) =>
      queryCost(checkQuery(pullRequestDetailsQuery(n)).document!, {});
    expect(details(62)).toBe(1);
    expect(details(100)).toBe(2);
    // No connection at all: the minimum of 1.
    expect(
      queryCost(checkQuery(DEPLOYMENT_STATUSES_QUERY).document!, { ids: [] }),
    ).toBe(1);
  });
});
