import { fireEvent } from '@testing-library/react';
import { renderInTestApp } from '@backstage/test-utils';
import { stubElementSize } from '../../__testUtils__/layout';
import { TimelineChart } from './TimelineChart';
import { toTimelineRows } from './lanes';
import { timeline } from '../../__testUtils__/fixtures';

describe('TimelineChart', () => {
  stubElementSize(800, 280);

  it('draws a point per event, with a brush, and opens the clicked one', async () => {
    const rows = toTimelineRows(timeline);
    const onOpen = jest.fn();
    const { container } = await renderInTestApp(
      <TimelineChart
        rows={rows}
        label="Timeline"
        onRangeChange={jest.fn()}
        onOpen={onOpen}
      />,
    );

    const points = container.querySelectorAll('.recharts-scatter-symbol');
    expect(points).toHaveLength(7);
    expect(container.querySelector('.recharts-brush')).not.toBeNull();
    expect(container.querySelector('.recharts-yAxis')).toHaveTextContent(
      'Incidents',
    );

    fireEvent.click(points[5]);
    expect(onOpen).toHaveBeenCalledWith(
      expect.objectContaining({ item: rows[5].item }),
    );
  });
});
