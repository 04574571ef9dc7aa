// Profile → Notifications: where each kind of notification goes besides the in-app list (which
// always has it): a table of kinds × Email, SMS and Push, one labelled checkbox per cell. A security
// notice's channels that are on by default are locked on: their checkbox is ticked and disabled, with
// the reason in the row ("Security notice: …always on"). Quiet hours (start and end, in the
// profile's time zone) hold pushes that are not urgent. Save sends only what changed; each userError
// is shown beside its field (a channel's beside its row, a time beside its input). "Clear quiet
// hours" removes them at once (as does saving with both times emptied).
import { useMutation, useQuery } from '@apollo/client/react';
import { useId, useState } from 'react';
import { Link } from 'wouter';
import { graphql } from '../../gql';
import type { NotificationChannel, NotificationKind, NotificationPreferencesViewQuery } from '../../gql/graphql';
import { Form, FormProblems, NETWORK_PROBLEM, SubmitButton, TextField, useSubmitOnce } from '../forms';
import { describeUserError, fieldOf, type UserErrorLike } from '../userErrors';

const PreferencesQuery = graphql(`
  query NotificationPreferencesView {
    me { id timeZone }
    notificationPreferences { kinds { kind label security channels { channel enabled locked } } quietHours { start end timeZone } }
  }
`);

const UpdatePreferences = graphql(`
  mutation UpdateNotificationPreferences($input: UpdateNotificationPreferencesInput!) {
    updateNotificationPreferences(input: $input) {
      preferences { kinds { kind label security channels { channel enabled locked } } quietHours { start end timeZone } }
      userErrors { code message field }
    }
  }
`);

type Preferences = NotificationPreferencesViewQuery['notificationPreferences'];
const CHANNELS: { channel: NotificationChannel; name: string }[] = [
  { channel: 'EMAIL', name: 'Email' },
  { channel: 'SMS', name: 'SMS' },
  { channel: 'PUSH', name: 'Push' },
];
const cell = (kind: NotificationKind, channel: NotificationChannel) => `${kind}:${channel}`;

/** Every cell's state as shown: enabled, by "KIND:CHANNEL". */
const cellsOf = (preferences: Preferences) =>
  Object.fromEntries(preferences.kinds.flatMap((k) => k.channels.map((c) => [cell(k.kind, c.channel), c.enabled])));

interface Errors {
  /** By "KIND:CHANNEL" (a channel change refused). */
  cells: Record<string, string>;
  start?: string;
  end?: string;
  general: string[];
}
const NONE: Errors = { cells: {}, general: [] };
const capitalised = (words: string) => words.charAt(0).toUpperCase() + words.slice(1);

/** userErrors beside their fields: channels.<i>.enabled names the i-th change sent. */
function placeErrors(errors: readonly UserErrorLike[], changes: { kind: NotificationKind; channel: NotificationChannel }[]): Errors {
  const placed: Errors = { cells: {}, general: [] };
  for (const error of errors) {
    const field = fieldOf(error) ?? '';
    // "quietHours.start: give a time…" beside the Quiet from field reads "Give a time…".
    const words = capitalised(describeUserError(error).replace(/^quietHours(\.\w+)?: /, ''));
    const change = /^channels\.(\d+)/.exec(field);
    const sent = change ? changes[Number(change[1])] : undefined;
    if (sent) placed.cells[cell(sent.kind, sent.channel)] = words;
    else if (field === 'quietHours.start' && !placed.start) placed.start = words;
    else if (field === 'quietHours.end' && !placed.end) placed.end = words;
    else placed.general.push(words);
  }
  return placed;
}

/** "Security notice: email and push always on". */
function lockedWords(kind: Preferences['kinds'][number]): string | null {
  const locked = CHANNELS.filter((c) => kind.channels.some((k) => k.channel === c.channel && k.locked)).map((c) => c.name.toLowerCase());
  if (!locked.length) return null;
  return `Security notice: ${locked.join(' and ')} always on`;
}

function ChannelTable({
  preferences,
  cells,
  errors,
  onChange,
}: {
  preferences: Preferences;
  cells: Record<string, boolean>;
  errors: Record<string, string>;
  onChange: (key: string, enabled: boolean) => void;
}) {
  const id = useId();
  return (
    // Fits a 390 px phone; a narrower window scrolls it inside its card, never the page.
    <div className="table-scroll">
      <table className="preferences">
        <caption className="visually-hidden">Where each kind of notification goes</caption>
        <thead>
          <tr>
            <th scope="col" className="kind">
              Notification
            </th>
            {CHANNELS.map((c) => (
              <th scope="col" key={c.channel}>
                {c.name}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {preferences.kinds.map((kind) => {
            const reason = lockedWords(kind);
            const reasonId = `${id}-${kind.kind}-reason`;
            const rowErrors = CHANNELS.map((c) => errors[cell(kind.kind, c.channel)]).filter(Boolean);
            const errorId = `${id}-${kind.kind}-error`;
            return (
              <tr key={kind.kind}>
                <th scope="row" className="kind">
                  {kind.label}
                  {reason && (
                    <span className="muted kind-note" id={reasonId}>
                      {reason}
                    </span>
                  )}
                  {rowErrors.length > 0 && (
                    <span className="field-error kind-note" id={errorId}>
                      {rowErrors.join(' ')}
                    </span>
                  )}
                </th>
                {CHANNELS.map((c) => {
                  const channel = kind.channels.find((k) => k.channel === c.channel);
                  if (!channel) return <td key={c.channel} />;
                  const key = cell(kind.kind, c.channel);
                  const invalid = Boolean(errors[key]);
                  return (
                    <td key={c.channel}>
                      <input
                        type="checkbox"
                        aria-label={`${kind.label}: ${c.name}`}
                        checked={cells[key] ?? channel.enabled}
                        disabled={channel.locked}
                        aria-invalid={invalid || undefined}
                        aria-describedby={[channel.locked ? reasonId : '', invalid ? errorId : ''].filter(Boolean).join(' ') || undefined}
                        onChange={(e) => onChange(key, e.target.checked)}
                      />
                    </td>
                  );
                })}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

function PreferencesForm({ preferences: initial, timeZone }: { preferences: Preferences; timeZone: string }) {
  const [update] = useMutation(UpdatePreferences);
  const [preferences, setPreferences] = useState(initial);
  const [cells, setCells] = useState(() => cellsOf(initial));
  const [start, setStart] = useState(initial.quietHours?.start ?? '');
  const [end, setEnd] = useState(initial.quietHours?.end ?? '');
  const [errors, setErrors] = useState<Errors>(NONE);
  const [saved, setSaved] = useState('');

  /** The server's answer becomes what the form shows. */
  const adopt = (next: Preferences) => {
    setPreferences(next);
    setCells(cellsOf(next));
    setStart(next.quietHours?.start ?? '');
    setEnd(next.quietHours?.end ?? '');
  };

  const save = useSubmitOnce(async () => {
    setSaved('');
    const was = cellsOf(preferences);
    const channels = Object.entries(cells)
      .filter(([key, enabled]) => was[key] !== enabled)
      .map(([key, enabled]) => {
        const [kind, channel] = key.split(':') as [NotificationKind, NotificationChannel];
        return { kind, channel, enabled };
      });
    const quietBefore = preferences.quietHours;
    const quietChanged = start !== (quietBefore?.start ?? '') || end !== (quietBefore?.end ?? '');
    // Both times emptied: no quiet hours. One left empty: the server says so beside it.
    const quiet = !quietChanged ? {} : start || end ? { quietHours: { start, end } } : { clearQuietHours: true };
    try {
      const { data } = await update({ variables: { input: { channels, ...quiet } } });
      const answer = data!.updateNotificationPreferences;
      if (!answer.preferences) return setErrors(placeErrors(answer.userErrors, channels));
      setErrors(NONE);
      adopt(answer.preferences);
      setSaved('Saved.');
    } catch {
      setErrors({ ...NONE, general: [NETWORK_PROBLEM] });
    }
  });

  const clear = useSubmitOnce(async () => {
    setSaved('');
    try {
      const { data } = await update({ variables: { input: { clearQuietHours: true } } });
      const answer = data!.updateNotificationPreferences;
      if (!answer.preferences) return setErrors(placeErrors(answer.userErrors, []));
      setErrors(NONE);
      // Only the quiet hours: channel ticks not saved yet stay as they are.
      setPreferences(answer.preferences);
      setStart('');
      setEnd('');
      setSaved('Quiet hours cleared.');
    } catch {
      setErrors({ ...NONE, general: [NETWORK_PROBLEM] });
    }
  });

  return (
    <Form onSubmit={() => void save.run()} aria-label="Notification settings">
      <section className="card" aria-labelledby="channels-title">
        <h2 id="channels-title">Where they go</h2>
        <p className="field-hint">Every notification is always in the app's list. Choose where else each kind is sent.</p>
        <ChannelTable
          preferences={preferences}
          cells={cells}
          errors={errors.cells}
          onChange={(key, enabled) => setCells({ ...cells, [key]: enabled })}
        />
      </section>
      <section className="card" aria-labelledby="quiet-title">
        <h2 id="quiet-title">Quiet hours</h2>
        <p className="field-hint">
          Pushes that are not urgent wait until quiet hours end. Times are in your time zone ({timeZone}); a start after the end spans
          midnight.
        </p>
        <div className="field-row">
          <TextField label="Quiet from" type="time" value={start} onChange={(e) => setStart(e.target.value)} error={errors.start} />
          <TextField label="Quiet until" type="time" value={end} onChange={(e) => setEnd(e.target.value)} error={errors.end} />
        </div>
        {preferences.quietHours ? (
          <p className="card-actions">
            <button type="button" onClick={() => void clear.run()} disabled={clear.busy}>
              {clear.busy ? 'Clearing…' : 'Clear quiet hours'}
            </button>
          </p>
        ) : (
          <p className="muted">No quiet hours set.</p>
        )}
      </section>
      <FormProblems messages={errors.general} />
      {saved && (
        <p className="success" role="status">
          {saved}
        </p>
      )}
      <div className="actions">
        <SubmitButton busy={save.busy} busyLabel="Saving…">
          Save
        </SubmitButton>
        <Link href="/profile" className="button">
          Back to your profile
        </Link>
      </div>
    </Form>
  );
}

export default function NotificationSettings() {
  // Read again on each visit: another device may have changed them.
  const { data, error } = useQuery(PreferencesQuery, { fetchPolicy: 'network-only' });
  if (error) return <p role="alert">Your notification settings could not be loaded. Reload the page to try again.</p>;
  if (!data) return <p role="status">Loading…</p>;
  return (
    <>
      <h1>Notification settings</h1>
      <PreferencesForm
        preferences={data.notificationPreferences}
        timeZone={data.notificationPreferences.quietHours?.timeZone ?? data.me.timeZone}
      />
    </>
  );
}
