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
 * Writes notifications through `tx`, with the outbox row that publishes them after commit (pass the
 * returned events to the outbox publisher, or to the ledger transaction that collects them).
 */
export async function writeNotices(tx: Pick<Prisma.TransactionClient, '$queryRaw'>, notices: Notice[]): Promise<OutboxEvent[]> {
  if (!notices.length) return [];
  return tx.$queryRaw<OutboxEvent[]>`
    WITH n AS (
      INSERT INTO notifications (user_id, kind, data)
      SELECT (x->>'userId')::uuid, (x->>'kind')::"NotificationKind", x->'data'
      FROM jsonb_array_elements(${JSON.stringify(notices)}::jsonb) AS x
      RETURNING id, user_id)
    INSERT INTO outbox_events (topic, payload)
    SELECT ${NOTIFICATIONS_ADDED}, jsonb_build_object('notices', jsonb_agg(jsonb_build_object('id', n.id, 'userId', n.user_id)))
    FROM n HAVING count(*) > 0
    RETURNING id::text AS id, topic, payload`;
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
