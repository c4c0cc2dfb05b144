import { fireEvent } from '@testing-library/react';
import { renderInTestApp } from '@backstage/test-utils';
import { stubElementSize } from '../../__testUtils__/layout';
import { TimelineChart } from './TimelineChart';
import { toEntityLaneRows, toTimelineRows } from './lanes';
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

  it("puts several entities' items on a lane each, in their kinds' colours, named with their entity", async () => {
    const rows = toEntityLaneRows([
      { entityRef: 'component:default/checkout-api', items: [timeline[2]] },
      { entityRef: 'component:default/gateway', items: [timeline[6]] },
    ]);
    const onOpen = jest.fn();
    const { container } = await renderInTestApp(
      <TimelineChart
        rows={rows}
        label="Timeline"
        lanes={['checkout-api', 'gateway']}
        onRangeChange={jest.fn()}
        onOpen={onOpen}
      />,
    );
    const axis = container.querySelector('.recharts-yAxis');
    expect(axis).toHaveTextContent('checkout-api');
    expect(axis).toHaveTextContent('gateway');
    expect(axis).not.toHaveTextContent('Incidents');
    const points = container.querySelectorAll('.recharts-scatter-symbol');
    expect(points).toHaveLength(2);
    expect(points[0].getAttribute('aria-label')).toMatch(
      /^Deploy \(checkout-api\): Deploy 4f2a9c1 to production, /,
    );
    expect(points[1].getAttribute('aria-label')).toMatch(
      /^Diagnosis \(gateway\): /,
    );
    // The diagnosis is on the second lane, in the diagnoses' colour, not the deploys'.
    expect(rows.map(r => [r.lane, r.color])).toEqual([
      [0, 'info'],
      [1, 'primary'],
    ]);
    fireEvent.click(points[1]);
    expect(onOpen).toHaveBeenCalledWith(
      expect.objectContaining({ entityRef: 'component:default/gateway' }),
    );
  });
});
