import Typography from '@material-ui/core/Typography';

/**
 * Says that the GitHub actions exist and how they are switched on, where they would be:
 * hidden buttons leave people not knowing the portal could file the issue for them.
 */
export function ActionsDisabledNote() {
  return (
    <Typography
      variant="body2"
      color="textSecondary"
      paragraph
      aria-label="GitHub actions are off"
    >
      GitHub actions (open an issue, comment on the suspected pull request) are
      off in this portal. An admin turns them on with{' '}
      <code>productOs.actions.enabled: true</code> in the backend's
      configuration; each one is previewed before anything is written.
    </Typography>
  );
}
