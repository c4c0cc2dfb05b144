import { configApiRef } from '@backstage/core-plugin-api';
import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import { DemoDataNotice } from './DemoDataNotice';

function renderWith(data: object) {
  return renderInTestApp(
    <TestApiProvider apis={[[configApiRef, mockApis.config({ data })]]}>
      <DemoDataNotice />
    </TestApiProvider>,
  );
}

describe('DemoDataNotice', () => {
  it('labels the page as demo data while the demo runs', async () => {
    await renderWith({ productOs: { demo: { enabled: true } } });
    expect(screen.getByRole('status', { name: 'Demo data' })).toHaveTextContent(
      /the example web shop's services send these errors/,
    );
  });

  it('says nothing otherwise', async () => {
    await renderWith({ productOs: { demo: { enabled: false } } });
    expect(
      screen.queryByRole('status', { name: 'Demo data' }),
    ).not.toBeInTheDocument();
  });
});
