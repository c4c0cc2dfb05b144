import { Entity } from '@backstage/catalog-model';
import { rowsByTeam, teamTree } from './teamTree';

function group(name: string, extra: Partial<Entity> = {}): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name },
    spec: { type: 'team', children: [] },
    ...extra,
  };
}

const childOf = (parent: string) => [
  { type: 'childOf', targetRef: `group:default/${parent}` },
];

describe('teamTree', () => {
  it('finds every group above a team, through relations or spec.parent', () => {
    const tree = teamTree([
      group('engineering'),
      group('web', { relations: childOf('engineering') }),
      group('checkout', {
        spec: { type: 'team', parent: 'web', children: [] },
      }),
    ]);
    expect(tree.get('group:default/checkout')?.ancestors).toEqual([
      'group:default/web',
      'group:default/engineering',
    ]);
    expect(tree.get('group:default/engineering')?.ancestors).toEqual([]);
  });

  it('stops at a cycle', () => {
    const tree = teamTree([
      group('a', { relations: childOf('b') }),
      group('b', { relations: childOf('a') }),
    ]);
    expect(tree.get('group:default/a')?.ancestors).toEqual(['group:default/b']);
  });
});

describe('rowsByTeam', () => {
  it('counts a service for its owner and every group above, and skips the owner-less', () => {
    const tree = teamTree([
      group('engineering'),
      group('checkout', { relations: childOf('engineering') }),
      group('search', { relations: childOf('engineering') }),
    ]);
    const rows = [
      { name: 'checkout-api', owner: 'group:default/checkout' },
      { name: 'search', owner: 'group:default/search' },
      { name: 'orphan' },
      // An owner the catalog does not list (a user) still gets its own section.
      { name: 'script', owner: 'user:default/dana' },
    ];
    const byTeam = rowsByTeam(rows, tree);
    expect(
      Object.fromEntries(
        [...byTeam].map(([team, list]) => [team, list.map(r => r.name)]),
      ),
    ).toEqual({
      'group:default/checkout': ['checkout-api'],
      'group:default/engineering': ['checkout-api', 'search'],
      'group:default/search': ['search'],
      'user:default/dana': ['script'],
    });
  });
});
