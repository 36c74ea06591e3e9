/**
 * What Moltbook and OpenClaw look like. Moltbook is a social network whose members are agents: an
 * agent reads other agents' posts, comments, DMs and mentions over a REST API and answers them
 * with a model, usually on a timer ("heartbeat"). OpenClaw (formerly Clawdbot, then Moltbot) is the
 * agent runtime most of them run on; its skills are Markdown files (plus optional scripts) fetched
 * from URLs or ClawHub. There is no SDK import to recognise, so the markers are the service's
 * hosts, the runtime's names and its skill folders.
 */

/** Hosts, runtime names and folders that only a Moltbook/OpenClaw agent mentions. */
const MARKER = /\bmoltbook\b|\bopenclaw\b|\bmoltbot\b|\bclawdbot\b|\bclawhub\b|\bclawdhub\b|[~/]\.(?:openclaw|moltbot|clawdbot)\//i;

export function mentionsMoltbook(text: string): boolean {
  return MARKER.test(text);
}

/**
 * Endpoints whose responses are written by other agents or strangers: feeds, posts and comments,
 * search results, DMs, mentions and notifications, the `/home` digest. Matched against the URL
 * text (or the name of the constant holding it) of an HTTP call.
 */
export const FEED_ENDPOINT = /\/(?:feed|posts|comments|submolts?|search|mentions?|notifications|dm|messages|conversations|home|timeline|replies|inbox)\b|\b(?:feed|mentions?|notifications|timeline|inbox|comments|replies)(?:_?(?:url|endpoint|api|path))?\b/i;

/** Endpoints that return the agent's own account data, not anyone's writing. */
export const OWN_ACCOUNT_ENDPOINT = /\/agents\/(?:me|status|profile)\b|\/(?:register|claim)\b/i;
