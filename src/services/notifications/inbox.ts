// The in-app notifications: written in the transaction of what they report, read as a keyset
// list, marked read. `writeNotices` is the one way a service writes one (the posting function
// writes its own in SQL, prisma/functions/wallet_post_transfers.sql): one statement writes the
// rows and the outbox row that makes `notificationAdded` live after commit, so a notification
// exists exactly when what it reports committed. Email, SMS and push follow from the row
// (dispatcher.ts).
import type { Prisma } from '../../generated/prisma/client.js';
import type { Sql } from '../../db/sql.js';
import type { OutboxEvent } from '../events/outbox.js';
import { NOTIFICATIONS_ADDED } from '../events/ledgerEvents.js';
import { decodeCursor, encodeCursor, type Page, type PageRequest, toPage } from '../pagination.js';
import { type NoticeData, type Notice, type NotificationKind, type NoticeWords, wordsOf } from './notices.js';

export interface Notification extends NoticeWords {
  id: string;
  userId: string;
  kind: NotificationKind;
  data: NoticeData;
  createdAt: Date;
  readAt: Date | null;
}

/**
 * A notice as a service writes it: to a user, or to every member of a merchant (`membersOf`),
 * resolved in the statement that writes it. `methodOf` names a payment method whose description
 * ("Visa ending 4242", "bank account ending 6789": never more of its number) the statement puts
 * in `data.method`, so a caller needs no read of its own for it.
 */
export type NoticeToWrite = (Notice | (Omit<Notice, 'userId'> & { membersOf: string })) & { methodOf?: string };

/**
 * Writes notifications through `tx`, with the outbox row that publishes them after commit, and any
 * other outbox events of the caller (`events`), in one statement. Pass the returned events to the
 * outbox publisher after commit, or to the ledger transaction that collects them.
 */
export async function writeNotices(
  tx: Pick<Prisma.TransactionClient, '$queryRaw'>,
  notices: NoticeToWrite[],
  events: { topic: string; payload: unknown }[] = [],
): Promise<OutboxEvent[]> {
  if (!notices.length && !events.length) return [];
  return tx.$queryRaw<OutboxEvent[]>`
    WITH n AS (
      INSERT INTO notifications (user_id, kind, data)
      SELECT coalesce((x->>'userId')::uuid, m.user_id), (x->>'kind')::"NotificationKind",
             x->'data' || CASE WHEN pm.id IS NULL THEN '{}'::jsonb ELSE jsonb_build_object('method',
               CASE WHEN pm.kind = 'CARD'
                 THEN coalesce(CASE pm.brand WHEN 'AMEX' THEN 'American Express' ELSE initcap(pm.brand) END, 'Card')
                 ELSE 'bank account' END || ' ending ' || right(pm.last4, 4)) END
      FROM jsonb_array_elements(${JSON.stringify(notices)}::jsonb) AS x
        LEFT JOIN merchant_members m ON m.merchant_id = (x->>'membersOf')::uuid
        LEFT JOIN payment_methods pm ON pm.id = (x->>'methodOf')::uuid
      WHERE x ? 'userId' OR m.user_id IS NOT NULL
      RETURNING id, user_id
    ), added AS (
      INSERT INTO outbox_events (topic, payload)
      SELECT ${NOTIFICATIONS_ADDED}, jsonb_build_object('notices', jsonb_agg(jsonb_build_object('id', n.id, 'userId', n.user_id)))
      FROM n HAVING count(*) > 0
      RETURNING id, topic, payload
    ), others AS (
      INSERT INTO outbox_events (topic, payload)
      SELECT e->>'topic', e->'payload' FROM jsonb_array_elements(${JSON.stringify(events)}::jsonb) AS e
      RETURNING id, topic, payload
    )
    SELECT id::text AS id, topic, payload FROM others
    UNION ALL SELECT id::text AS id, topic, payload FROM added`;
}

interface NotificationRow {
  id: string;
  user_id: string;
  kind: NotificationKind;
  data: NoticeData;
  created_at: Date;
  read_at: Date | null;
}

const COLUMNS = 'id::text, user_id::text, kind::text AS kind, data, created_at, read_at';

function toNotification(r: NotificationRow): Notification {
  return {
    id: r.id,
    userId: r.user_id,
    kind: r.kind,
    data: r.data,
    createdAt: r.created_at,
    readAt: r.read_at,
    ...wordsOf(r.kind, r.data),
  };
}

export interface Inbox {
  /** The user's notifications, newest first (forward pagination only). */
  page(userId: string, request: PageRequest, options: { unreadOnly: boolean }): Promise<Page<Notification>>;
  /** One of the user's notifications (null when it is not theirs). */
  get(userId: string, id: string): Promise<Notification | null>;
  unreadCount(userId: string): Promise<number>;
  /** Marks these of the user's notifications read (all of them when `ids` is null); the unread count after. */
  markRead(userId: string, ids: string[] | null): Promise<number>;
}

export function createInbox(sql: Sql): Inbox {
  const unreadCount = async (userId: string) => {
    const [row] = await sql.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM notifications WHERE user_id = $1::uuid AND read_at IS NULL',
      [userId],
      'notifications_unread_v1',
    );
    return row!.n;
  };

  return {
    async page(userId, request, { unreadOnly }) {
      // Newest first; a backward page (`last`/`before`) reads the newer side oldest-first.
      const cursor = request.backward ? request.before : request.after;
      const at = cursor ? decodeCursor(cursor) : null;
      // Two texts, so each reads the (user_id, created_at, id) index in its own direction.
      const [compare, order] = request.backward ? ['>', 'ASC'] : ['<', 'DESC'];
      const rows = await sql.query<NotificationRow>(
        `SELECT ${COLUMNS} FROM notifications
         WHERE user_id = $1::uuid AND (NOT $2::boolean OR read_at IS NULL)
           AND ($3::timestamptz IS NULL OR (created_at, id) ${compare} ($3::timestamptz, $4::uuid))
         ORDER BY created_at ${order}, id ${order} LIMIT $5`,
        [userId, unreadOnly, at?.at ?? null, at?.id ?? null, request.limit + 1],
        `notifications_page_${request.backward ? 'backward' : 'forward'}_v1`,
      );
      return toPage(rows.map(toNotification), request, (n) => encodeCursor({ at: n.createdAt, id: n.id }));
    },

    async get(userId, id) {
      const [row] = await sql.query<NotificationRow>(
        `SELECT ${COLUMNS} FROM notifications WHERE id = $1::uuid AND user_id = $2::uuid`,
        [id, userId],
        'notification_by_id_v1',
      );
      return row ? toNotification(row) : null;
    },

    unreadCount,

    async markRead(userId, ids) {
      const [row] = await sql.query<{ n: number }>(
        `WITH marked AS (
           UPDATE notifications SET read_at = now()
           WHERE user_id = $1::uuid AND read_at IS NULL AND ($2::uuid[] IS NULL OR id = ANY ($2::uuid[]))
           RETURNING 1)
         SELECT (SELECT count(*)::int FROM notifications WHERE user_id = $1::uuid AND read_at IS NULL) - (SELECT count(*)::int FROM marked) AS n`,
        [userId, ids],
      );
      return row!.n;
    },
  };
}
