// Package failover is the emulator's failover engine: it decides the role of
// every client session of one failover group, as pure state transitions.
//
// The real service publishes only the outline (clients send heartbeats with a
// health score, the service computes a Primary, PendingPrimary or Secondary
// role for each, a client that stays silent longer than the group's
// FailoverTimeout is inactive, and a user can force a client to Primary). The
// exact rules are not published; this package implements the emulator's model
// of them, stated here in full.
//
// # Words
//
// T is the group's timeout ([Group.Timeout]). A session's last heartbeat is
// the emulator-clock time at which its latest heartbeat was accepted; the
// time the client writes into the heartbeat is kept but never used, because
// client clocks drift. A session is live at time t when it has posted a
// heartbeat and t minus its last heartbeat is at most T. So it is still live
// at the instant last heartbeat + T, and that instant is when it lapses: at
// every later time it is not live. Its score is the score of its latest
// heartbeat. A candidate is a live Secondary whose score is above zero. The
// best candidate has the highest score; ties go to the most recent last
// heartbeat, then to the session created first, then to the smallest id in
// ordinal (UTF-16 code unit) order. A session that never posted a heartbeat
// is Secondary and never a candidate.
//
// # Rules
//
// The rules below are applied over and over until none of them changes
// anything.
//
//  1. Override. At most one session holds an override: giving it to one
//     session takes it from every other. While the holder is live and its
//     override has not expired, the holder is Primary and every other session
//     is Secondary (another Primary is demoted and a PendingPrimary cancelled
//     on the spot), and rules 2 to 5 are suspended. An override held by a
//     session that is not live waits and takes effect when the session is
//     live again. An override has expired once the time reaches its
//     expiration; it then reads Off with no expiration, and its holder keeps
//     whatever role it had until rules 2 to 5 change it.
//  2. First primary. As long as no session of the group has ever been
//     Primary, the best candidate becomes Primary at once. The group
//     remembers that it has had a Primary even after that session is
//     deleted.
//  3. No primary. When the group has neither a live Primary nor a
//     PendingPrimary, a Primary that has lapsed becomes Secondary and the best
//     candidate, if there is one, becomes PendingPrimary.
//  4. Weak primary. When there is no PendingPrimary and the best candidate's
//     score is strictly above the live Primary's, the Primary becomes
//     Secondary and the best candidate becomes PendingPrimary.
//  5. Hand-over. A PendingPrimary becomes Primary with the first heartbeat it
//     posts after a heartbeat response told it that it is PendingPrimary
//     (reading the session tells it nothing). Until then it stays
//     PendingPrimary as long as it is live, even if another session's score
//     overtakes it; when it lapses it becomes Secondary and rule 3 picks
//     again.
//
// Deleting a session runs the rules at once, so deleting the Primary is
// handled by rule 3. A new timeout counts from the moment it is set: a
// session that is not live under the new timeout lapses at that moment, not
// at some instant in the past.
//
// The group's LastDataProcessedTime is the one carried by the latest
// heartbeat whose sender is Primary once that heartbeat has been evaluated
// (so the heartbeat that completes a hand-over, or that makes the first
// Primary, counts); a heartbeat without one leaves the group's value as it
// was.
//
// # Time
//
// Only writes and the times at which they happen decide the outcome; reads
// never do. Between two writes the only things that happen are lapses and
// override expiries, so [Group.AdvanceTo] replays them one instant at a time,
// in time order, as if the emulator had been watching, and records each role
// change at the instant of the lapse or expiry that caused it. Within one
// instant, expiries are applied before lapses, because an override has
// expired at its expiration instant while a session is still live at its
// lapse instant. Every method that changes a group first advances it to the
// time of the change.
//
// Every role change is reported as an [Event] naming the rule that caused it.
// One event is not a role change: when an override expires, an event with
// rule OverrideExpired is recorded for its holder, with the same role before
// and after; a role change at that same instant gets its own event.
//
// # Using a Group
//
// Time always comes in as an argument called now; the package never reads a
// clock. A Group is not safe for concurrent use: callers serialise access to
// it. Methods that only report (such as [Group.Primary]) show the state as of
// the last evaluation, so callers advance the group to the present first.
//
// The package knows nothing of HTTP or JSON, and does not check wire-level
// limits such as a score between 0 and 100 or a positive timeout; nor does it
// apply the heartbeat rate limit. The HTTP layer does those.
package failover
