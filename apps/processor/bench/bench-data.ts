import type { Message } from 'kafkajs';
import { messageKey, type UserChangeEventV1 } from '@provisioning/schemas';
import { seededRandom } from '@provisioning/terranova-sim';

/** What Terranova must hold for a user once every change is applied. */
export interface ExpectedUser {
  userName: string;
  familyName: string;
  active: boolean;
}

export interface BenchData {
  messages: Message[];
  /** By the user's final userName (lowercased). */
  expected: Map<string, ExpectedUser>;
  changesByKind: Record<string, number>;
}

interface UserRecord {
  userId: string;
  username: string;
  previous: string[];
  lastname: string;
  suspended: boolean;
  language: string;
  version: number;
  /** What Terranova holds while the user is suspended: changes of an inactive user wait for its reactivation. */
  frozen: { username: string; lastname: string } | undefined;
}

const LANGUAGES = ['en-US', 'fr', 'de', 'es', 'fr-CA', 'pt-BR'];
const START = Date.parse('2025-01-01T00:00:00.000Z');

function eventOf(tenantId: string, user: UserRecord, index: number, trigger: string): UserChangeEventV1 {
  const at = new Date(START + index * 10).toISOString();
  return {
    schemaVersion: 1,
    eventId: `bench-${index}`,
    tenantId,
    userId: user.userId,
    source: 'directory-insights',
    trigger,
    occurredAt: at,
    observedAt: at,
    bound: true,
    deleted: false,
    ...(user.previous.length > 0 ? { previousUsernames: [...user.previous] } : {}),
    user: {
      username: user.username,
      email: user.username,
      firstname: 'Bench',
      lastname: user.lastname,
      state: user.suspended ? 'SUSPENDED' : 'ACTIVATED',
      suspended: user.suspended,
      preferredLanguage: user.language,
    },
  };
}

/** Changes one attribute of an existing user: mostly a name, sometimes a suspension toggle, a rename or a language. */
function mutate(user: UserRecord, random: () => number): string {
  user.version += 1;
  const roll = random();
  if (roll < 0.75) {
    user.lastname = `Last-${user.version}`;
    return 'user_update';
  }
  if (roll < 0.87) {
    user.suspended = !user.suspended;
    user.frozen = user.suspended ? { username: user.username, lastname: user.lastname } : undefined;
    return user.suspended ? 'user_suspended' : 'user_activated';
  }
  if (roll < 0.95) {
    user.previous.push(user.username);
    user.username = `${user.userId}-v${user.version}@bench.example`;
    return 'user_rename';
  }
  user.language = LANGUAGES[Math.floor(random() * LANGUAGES.length)] ?? 'fr';
  return 'user_update';
}

/**
 * A deterministic synthetic tenant: `users` users created and `changes - users` changes to them, interleaved so
 * that a user's changes often follow its creation closely (per-user order matters). Every event carries the
 * user's whole state, as ingest publishes it.
 */
export function generateBenchData(tenantId: string, users: number, changes: number, seed = 42): BenchData {
  const random = seededRandom(seed);
  const records: UserRecord[] = [];
  const messages: Message[] = [];
  const changesByKind: Record<string, number> = {};
  for (let index = 0; index < changes; index++) {
    const createsLeft = users - records.length;
    const create = records.length === 0 || (createsLeft > 0 && random() < createsLeft / (changes - index));
    let user: UserRecord;
    let trigger: string;
    if (create) {
      const n = records.length;
      user = { userId: `bench${String(n).padStart(19, '0')}`, username: '', previous: [], lastname: 'Last-0', suspended: false, language: 'en-US', version: 0, frozen: undefined };
      user.username = `${user.userId}@bench.example`;
      records.push(user);
      trigger = 'user_create';
    } else {
      user = records[Math.floor(random() * records.length)] as UserRecord;
      trigger = mutate(user, random);
    }
    changesByKind[trigger] = (changesByKind[trigger] ?? 0) + 1;
    messages.push({ key: messageKey(tenantId, user.userId), value: JSON.stringify(eventOf(tenantId, user, index, trigger)) });
  }
  const expected = new Map(
    records.map((u) => {
      const held = u.frozen ?? { username: u.username, lastname: u.lastname };
      return [held.username.toLowerCase(), { userName: held.username, familyName: held.lastname, active: !u.suspended }];
    }),
  );
  return { messages, expected, changesByKind };
}
