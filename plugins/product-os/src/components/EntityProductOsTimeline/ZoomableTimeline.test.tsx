import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderInTestApp } from '@backstage/test-utils';
import { ZoomableTimeline } from './ZoomableTimeline';
import { toTimelineRows } from './lanes';
import { timeline } from '../../__testUtils__/fixtures';

// Dragging recharts' brush needs a layout engine jsdom lacks; stand in for the chart with
// a button that reports the range a drag would.
jest.mock('./TimelineChart', () => ({
  TimelineChart: (props: {
    onRangeChange: (range: { startIndex: number; endIndex: number }) => void;
  }) => (
    <button onClick={() => props.onRangeChange({ startIndex: 2, endIndex: 4 })}>
      Zoom to the deploy
    </button>
  ),
}));

describe('ZoomableTimeline', () => {
  it('lists only the events in the zoomed stretch until zoomed out again', async () => {
    await renderInTestApp(
      <ZoomableTimeline rows={toTimelineRows(timeline)} window="7d" />,
    );
    const listed = () =>
      within(screen.getByRole('list', { name: 'Timeline items' })).getAllByRole(
        'listitem',
      );
    expect(listed()).toHaveLength(7);
    expect(screen.getByText('7 events')).toBeInTheDocument();

    await userEvent.click(
      screen.getByRole('button', { name: 'Zoom to the deploy' }),
    );

    expect(screen.getByText('Showing 3 of 7 events')).toBeInTheDocument();
    expect(listed().map(item => item.textContent)).toEqual([
      expect.stringContaining('Deploy 4f2a9c1 to production'),
      expect.stringContaining('TypeError: Cannot read properties of undefined'),
      expect.stringContaining('Error spike (14x)'),
    ]);

    await userEvent.click(screen.getByRole('button', { name: 'Show all' }));
    expect(listed()).toHaveLength(7);
  });
});
