import { screen } from '@testing-library/react';
import { Entity } from '@backstage/catalog-model';
import { identityApiRef } from '@backstage/core-plugin-api';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { MissingAnnotation } from './MissingAnnotation';

const entity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'search' },
  spec: { type: 'service', owner: 'team-storefront' },
  relations: [{ type: 'ownedBy', targetRef: 'group:default/team-storefront' }],
};

function renderFor(ownershipEntityRefs: string[]) {
  return renderInTestApp(
    <TestApiProvider
      apis={[
        [
          identityApiRef,
          mockApis.identity({
            userEntityRef: 'user:default/dana',
            ownershipEntityRefs,
          }),
        ],
      ]}
    >
      <EntityProvider entity={entity}>
        <MissingAnnotation annotations={['pagerduty.com/service-id']} />
      </EntityProvider>
    </TestApiProvider>,
  );
}

describe('MissingAnnotation', () => {
  it("shows the entity's owners the panel with the YAML to add", async () => {
    await renderFor(['user:default/dana', 'group:default/team-storefront']);
    expect(await screen.findByText('Missing Annotation')).toBeInTheDocument();
    expect(screen.queryByText(/Not linked yet/)).not.toBeInTheDocument();
  });

  it('tells anyone else in a line who can add it', async () => {
    await renderFor(['user:default/dana', 'group:default/team-checkout']);
    expect(await screen.findByText(/Not linked yet/)).toHaveTextContent(
      'Not linked yet: it needs the pagerduty.com/service-id annotation, which team-storefront can add.',
    );
    expect(screen.queryByText('Missing Annotation')).not.toBeInTheDocument();
  });
});
