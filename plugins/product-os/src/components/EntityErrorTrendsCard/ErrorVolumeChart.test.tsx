import { renderInTestApp } from '@backstage/test-utils';
import { stubElementSize } from '../../__testUtils__/layout';
import { ErrorVolumeChart } from './ErrorVolumeChart';
import { deployment, errorTrend, release } from '../../__testUtils__/fixtures';

describe('ErrorVolumeChart', () => {
  stubElementSize(800, 200);

  it('marks every deploy in the window with a labelled line', async () => {
    const trend = {
      ...errorTrend,
      deploys: [
        deployment,
        {
          ...release,
          kind: 'deployment' as const,
          sha: undefined,
          occurredAt: '2025-03-12T07:00:00.000Z',
        },
      ],
    };
    const { container, getByRole } = await renderInTestApp(
      <ErrorVolumeChart trend={trend} label="Error events per hour" />,
    );

    expect(
      getByRole('img', { name: 'Error events per hour, 2 deploys marked' }),
    ).toBeInTheDocument();
    const markers = container.querySelectorAll('.recharts-reference-line');
    expect(markers).toHaveLength(2);
    expect(markers[0]).toHaveTextContent('4f2a9c1');
    expect(markers[1]).toHaveTextContent('deploy');
    expect(container.querySelector('.recharts-area')).not.toBeNull();
  });
});
