type Json = Record<string, any>;

/** A repository as the fake serves it; every list newest first, as GitHub's are. */
export interface FakeRepository {
  repository: Json;
  /** Full commit objects (`GET /commits/{ref}`), files included. */
  commits: Json[];
  pulls: Json[];
  pullFiles: Map<number, Json[]>;
  /** A pull request's commits, oldest first, as GraphQL's `PullRequest.commits` lists them. */
  pullCommits?: Map<
    number,
    { oid: string; authoredDate: string; committedDate: string }[]
  >;
  deployments: Json[];
  /** Statuses per deployment id, newest first. */
  statuses: Map<number, Json[]>;
  releases: Json[];
}
