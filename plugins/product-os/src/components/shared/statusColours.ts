import { Theme, useTheme } from '@material-ui/core/styles';

/** Text colours for good, middling and bad news. */
export interface StatusColours {
  good: string;
  fair: string;
  bad: string;
}

/*
 * The theme's `main` shades are for fills: as text on paper, its orange is 2.2:1 and its red
 * 3.5:1. These are at least 4.5:1 against the paper of the light theme (white) and of the dark
 * theme (#424242) respectively.
 */
const ON_LIGHT: StatusColours = {
  good: '#1b5e20',
  fair: '#8a4b00',
  bad: '#b71c1c',
};
const ON_DARK: StatusColours = {
  good: '#a5d6a7',
  fair: '#ffcc80',
  bad: '#ffab91',
};

/** Status colours that keep text readable (WCAG AA) on the current theme's paper. */
export function statusColours(theme: Theme): StatusColours {
  return theme.palette.type === 'dark' ? ON_DARK : ON_LIGHT;
}

/** {@link statusColours} of the current theme. */
export function useStatusColours(): StatusColours {
  return statusColours(useTheme<Theme>());
}

/** The colour a health score reads in: bad below 50, fair below 80, good from 80. */
export function healthColour(score: number, colours: StatusColours): string {
  if (score < 50) return colours.bad;
  if (score < 80) return colours.fair;
  return colours.good;
}
