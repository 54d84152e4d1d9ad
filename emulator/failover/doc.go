// Package failover is the emulator's failover engine: it decides the role of
// every client session of one failover group, as pure state transitions.
//
// The service publishes the outline: clients send heartbeats carrying a
// health score, "the service calculates the Primary, Pending Primary or
// Secondary role for each client based on the health status and heartbeat
// arrival time", a client silent for longer than the group's FailoverTimeout
// is inactive, and an operator can force a client's role. It also publishes
// two rules outright: the role override (rule 1) and the lone client (rule
// 2), each given below with its source. The other rules are not published;
// they are the emulator's model, stated here in full.
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
// heartbeat. A candidate is a live Secondary whose score is above zero and
// that holds no Secondary override. The best candidate has the highest
// score; ties go to the most recent last heartbeat, then to the session
// created first, then to the smallest id in ordinal (UTF-16 code unit)
// order. A session that never posted a heartbeat is never a candidate, and
// is Secondary unless it holds a Primary override.
//
// # Rules
//
// The rules below are applied over and over until none of them changes
// anything.
//
//  1. Override (published). An operator can force a session's role. A
//     Primary override makes its holder Primary while it is in force,
//     whether or not the holder is live and whether or not it has ever
//     posted a heartbeat, and makes every other session Secondary: another
//     Primary is demoted and a PendingPrimary cancelled on the spot, and
//     rules 2 to 6 are suspended. The service's ClientSession reference says
//     the holder "is designated as forced Primary and its Role is not
//     calculated by Failover Engine", and the on-premises Client Failover
//     Service's role-override page that "when heartbeats are not received
//     during a period longer than the Failover Timeout and the session
//     becomes stale, the session will still remain in primary role while the
//     role override is in effect". At most one session holds a Primary
//     override: giving one to a session takes the Primary override of every
//     other session. On the on-premises surface an override can also be
//     Secondary ([OverrideSecondary]): it keeps its holder Secondary while in
//     force, so the holder is never a candidate, not even as the only
//     session, and a holder that was Primary or PendingPrimary becomes
//     Secondary at once. Any number of sessions may hold a Secondary
//     override. Setting an override replaces only the session's own, with
//     the one exception that keeps a Primary override unique: a Primary
//     override on one session turns off the Primary override of every other
//     session, but leaves their Secondary overrides in place. (The
//     published pages say nothing of the two kinds together; this is the
//     emulator's reading.) An override has expired once the time reaches its
//     expiration; it then reads Off with no expiration, its holder keeps its
//     role for that instant, and the other rules decide at once: a holder
//     that is not live then is demoted by rule 4 at the expiry instant.
//     Turning an override Off works the same way, at the moment it is done.
//  2. Only client (published). When the group has exactly one session and
//     that session is live and not Primary, it becomes Primary at once,
//     whatever its score (zero included) and without a PendingPrimary step:
//     also when it comes back after lapsing, or was PendingPrimary when the
//     other sessions were deleted. The adapters' documentation says "if it
//     is the only adapter registered in the group, it becomes the Primary
//     adapter instance", and the on-premises service logs "promoted to
//     Primary. Reason: Only one client in group". A session that never
//     posted, or has lapsed, is not live, so it waits for its next
//     heartbeat.
//  3. First primary. As long as no session of the group has ever been
//     Primary, the best candidate becomes Primary at once. The group
//     remembers that it has had a Primary even after that session is
//     deleted.
//  4. No primary. When the group has neither a live Primary nor a
//     PendingPrimary, a Primary that is not live becomes Secondary (an event
//     with rule Lapsed) and the best candidate, if there is one, becomes
//     PendingPrimary.
//  5. Weak primary. When there is no PendingPrimary and the best candidate's
//     score is strictly above the live Primary's, the Primary becomes
//     Secondary and the best candidate becomes PendingPrimary (the adapters'
//     documentation: the Primary "will be the adapter with the highest
//     FailoverScore").
//  6. Hand-over. A PendingPrimary becomes Primary with the first heartbeat it
//     posts after a heartbeat response told it that it is PendingPrimary
//     (reading the session tells it nothing). Until then it stays
//     PendingPrimary as long as it is live, even if another session's score
//     overtakes it; when it lapses it becomes Secondary and rule 4 picks
//     again.
//
// Deleting a session runs the rules at once, so deleting the Primary is
// handled by rule 4, or by rule 2 when one session is left. A new timeout
// counts from the moment it is set: a session that is not live under the new
// timeout lapses at that moment, not at some instant in the past.
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
// time of the change. The lapse of a Secondary can change nothing (the
// argument is in rules.go), so a catch-up evaluates only expiries and the
// lapses of the Primary and the PendingPrimary, and costs O(n log n) for n
// sessions however many of them lapsed.
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
// the last evaluation, so callers advance the group to the present first. A
// group assembled field by field (a loaded state) is brought in line with
// the rules by [Group.Settle].
//
// The package knows nothing of HTTP or JSON, and does not check wire-level
// limits such as a score between 0 and 100 or a positive timeout, nor which
// surface may set which override; nor does it apply the heartbeat rate limit
// or bound the number of sessions. The layers above do those.
package failover
