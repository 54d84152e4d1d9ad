@emulator
Feature: Failover
  The service decides the role of every client of a group from the health
  scores the clients report and from when their heartbeats arrive. A client
  is live while no more than the group's FailoverTimeout has passed since the
  service received its last heartbeat; a candidate is a live Secondary whose
  score is above 0; the best candidate has the highest score, then the most
  recent heartbeat, then was created first, then has the smallest Id.

  Two rules are published by the service: a client forced to Primary by an
  operator is Primary while the override lasts, heartbeats or not, and the
  only client of a group is Primary. The others are the emulator's model.

  These stories run on the emulator's manual clock, and every role change is
  checked in the emulator's list of events with the rule that caused it.

  Background:
    Given the emulator clock is frozen at "2026-01-01T00:00:00Z"
    And a failover group "A" with a failover timeout of "00:00:30"
    And clients "S1", "S2" and "S3" have joined group "A"

  Rule: First primary - while no client of the group has ever been Primary, the best candidate becomes Primary at once

    Scenario: The first client to report a healthy score becomes Primary
      When client "S1" sends a heartbeat with score 100
      Then the heartbeat response tells "S1" it is Primary
      And the group status shows "S1" as primary and no pending primary
      And the events of group "A" are:
        | Session | From      | To      | Rule         | Time                 |
        | S1      | Secondary | Primary | FirstPrimary | 2026-01-01T00:00:00Z |

    Scenario: A client with a score of 0 is not a candidate
      When client "S1" sends a heartbeat with score 0
      Then the heartbeat response tells "S1" it is Secondary
      And the group status shows no primary and no pending primary
      When client "S2" sends a heartbeat with score 20
      Then the heartbeat response tells "S2" it is Primary
      And client "S1" is still Secondary

    Scenario: Clients that report after the Primary are Secondary
      Given client "S1" has sent a heartbeat with score 100
      When client "S2" sends a heartbeat with score 100
      Then the heartbeat response tells "S2" it is Secondary
      And the group status shows "S1" as primary and no pending primary

  Rule: A client is live while no more than the FailoverTimeout has passed since the service received its last heartbeat

    Scenario: The client's own clock is kept but not used for timing
      When client "S1" sends a heartbeat with the body:
        """
        {"{score}": 100, "HeartbeatTime": "2000-01-01T00:00:00Z"}
        """
      Then the heartbeat response tells "S1" it is Primary
      When 30 seconds pass
      Then the group status shows "S1" as primary and no pending primary
      When I get client "S1"
      Then the response property "Heartbeat.HeartbeatTime" is "2000-01-01T00:00:00Z"

    Scenario: A client whose clock runs ahead does not stay live longer
      Given client "S1" has sent a heartbeat with score 100
      And client "S2" has sent a heartbeat with score 80
      And 20 seconds pass
      When client "S1" sends a heartbeat with the body:
        """
        {"{score}": 100, "HeartbeatTime": "2030-01-01T00:00:00Z"}
        """
      And 20 seconds pass
      And client "S2" sends a heartbeat with score 80
      And 11 seconds pass
      Then the group status shows no primary and "S2" as pending primary
      And the events show "S1" went from Primary to Secondary by rule "Lapsed" at "2026-01-01T00:00:50Z"

  Rule: No primary - when the Primary lapses, it becomes Secondary and the best candidate becomes PendingPrimary

    Scenario: A silent Primary is replaced after the failover timeout, and the new one takes over on its next heartbeat
      Given client "S1" has sent a heartbeat with score 100
      And client "S2" has sent a heartbeat with score 80
      When 20 seconds pass
      And client "S2" sends a heartbeat with score 80
      And 10 seconds pass
      Then the group status shows "S1" as primary and no pending primary
      When 1 second passes
      Then the group status shows no primary and "S2" as pending primary
      And client "S1" is Secondary
      When client "S2" sends a heartbeat with score 80
      Then the heartbeat response tells "S2" it is PendingPrimary
      And the group status shows no primary and "S2" as pending primary
      When client "S2" sends a heartbeat with score 80
      Then the heartbeat response tells "S2" it is Primary
      And the group status shows "S2" as primary and no pending primary
      And the events of group "A" are:
        | Session | From           | To             | Rule         | Time                 |
        | S1      | Secondary      | Primary        | FirstPrimary | 2026-01-01T00:00:00Z |
        | S1      | Primary        | Secondary      | Lapsed       | 2026-01-01T00:00:30Z |
        | S2      | Secondary      | PendingPrimary | NoPrimary    | 2026-01-01T00:00:30Z |
        | S2      | PendingPrimary | Primary        | HandOver     | 2026-01-01T00:00:31Z |

    Scenario: Reading a session does not tell a PendingPrimary; only a heartbeat response does
      Given client "S1" has sent a heartbeat with score 100
      And client "S2" has sent a heartbeat with score 80
      When 20 seconds pass
      And client "S2" sends a heartbeat with score 80
      And 11 seconds pass
      And I get client "S2"
      Then the response property "Role" is 2
      When client "S2" sends a heartbeat with score 80
      Then the heartbeat response tells "S2" it is PendingPrimary

    Scenario: A Primary that lapses with no candidate leaves the group without a primary
      Given client "S1" has sent a heartbeat with score 100
      When 31 seconds pass
      Then the group status shows no primary and no pending primary
      And the events show "S1" went from Primary to Secondary by rule "Lapsed" at "2026-01-01T00:00:30Z"

    Scenario: A client that comes back after the group lost its Primary goes through PendingPrimary
      Given client "S1" has sent a heartbeat with score 100
      And 31 seconds pass
      When client "S1" sends a heartbeat with score 100
      Then the heartbeat response tells "S1" it is PendingPrimary
      When client "S1" sends a heartbeat with score 100
      Then the heartbeat response tells "S1" it is Primary
      And the events show "S1" went from Secondary to PendingPrimary by rule "NoPrimary"
      And the events show "S1" went from PendingPrimary to Primary by rule "HandOver"

    Scenario: Lapses happen at their own instants even when nobody asks
      Given client "S1" has sent a heartbeat with score 100
      And client "S2" has sent a heartbeat with score 80
      And 20 seconds pass
      And client "S2" has sent a heartbeat with score 80
      When 10 minutes pass
      Then the group status shows no primary and no pending primary
      And the events of group "A" are:
        | Session | From           | To             | Rule         | Time                 |
        | S1      | Secondary      | Primary        | FirstPrimary | 2026-01-01T00:00:00Z |
        | S1      | Primary        | Secondary      | Lapsed       | 2026-01-01T00:00:30Z |
        | S2      | Secondary      | PendingPrimary | NoPrimary    | 2026-01-01T00:00:30Z |
        | S2      | PendingPrimary | Secondary      | Lapsed       | 2026-01-01T00:00:50Z |

  Rule: The best candidate has the highest score, then the most recent heartbeat, then was created first, then has the smallest Id

    Scenario: The candidate with the highest score is chosen
      Given client "S1" has sent a heartbeat with score 100
      And client "S2" has sent a heartbeat with score 60
      And client "S3" has sent a heartbeat with score 80
      When I delete client "S1"
      Then the group status shows no primary and "S3" as pending primary

    Scenario: On equal scores the most recent heartbeat wins
      Given client "S1" has sent a heartbeat with score 100
      And client "S3" has sent a heartbeat with score 80
      And 5 seconds pass
      And client "S2" has sent a heartbeat with score 80
      When I delete client "S1"
      Then the group status shows no primary and "S2" as pending primary

    Scenario: On equal scores and heartbeat times the client created first wins
      Given client "T2" has joined group "A"
      And 1 second passes
      And client "T1" has joined group "A"
      And client "S1" has sent a heartbeat with score 100
      And client "T1" has sent a heartbeat with score 80
      And client "T2" has sent a heartbeat with score 80
      When I delete client "S1"
      Then the group status shows no primary and "T2" as pending primary


    Scenario: On equal scores, heartbeat times and creation times the smallest Id wins
      Given client "T2" has joined group "A"
      And client "T1" has joined group "A"
      And client "S1" has sent a heartbeat with score 100
      And client "T2" has sent a heartbeat with score 80
      And client "T1" has sent a heartbeat with score 80
      When I delete client "S1"
      Then the group status shows no primary and "T1" as pending primary

  Rule: Weak primary - a candidate with a strictly higher score than the Primary becomes PendingPrimary

    Scenario: A healthier client replaces a weak Primary through PendingPrimary
      Given client "S1" has sent a heartbeat with score 50
      When client "S2" sends a heartbeat with score 80
      Then the heartbeat response tells "S2" it is PendingPrimary
      And the group status shows no primary and "S2" as pending primary
      And client "S1" is Secondary
      When client "S2" sends a heartbeat with score 80
      Then the heartbeat response tells "S2" it is Primary
      And the group status shows "S2" as primary and no pending primary
      When client "S1" sends a heartbeat with score 50
      Then the heartbeat response tells "S1" it is Secondary
      And the events of group "A" are:
        | Session | From           | To             | Rule         |
        | S1      | Secondary      | Primary        | FirstPrimary |
        | S1      | Primary        | Secondary      | WeakPrimary  |
        | S2      | Secondary      | PendingPrimary | WeakPrimary  |
        | S2      | PendingPrimary | Primary        | HandOver     |

    Scenario: An equal score does not replace the Primary
      Given client "S1" has sent a heartbeat with score 50
      When client "S2" sends a heartbeat with score 50
      Then the heartbeat response tells "S2" it is Secondary
      And the group status shows "S1" as primary and no pending primary

    Scenario: A PendingPrimary stays PendingPrimary even when another client overtakes it
      Given client "S1" has sent a heartbeat with score 50
      And client "S2" has sent a heartbeat with score 80
      When client "S3" sends a heartbeat with score 100
      Then the heartbeat response tells "S3" it is Secondary
      And the group status shows no primary and "S2" as pending primary

    Scenario: A PendingPrimary that lapses becomes Secondary and another is chosen
      Given client "S1" has sent a heartbeat with score 50
      And client "S2" has sent a heartbeat with score 80
      And 20 seconds pass
      And client "S1" has sent a heartbeat with score 50
      And client "S3" has sent a heartbeat with score 60
      When 11 seconds pass
      Then the group status shows no primary and "S3" as pending primary
      And the events show "S2" went from PendingPrimary to Secondary by rule "Lapsed" at "2026-01-01T00:00:30Z"
      And the events show "S3" went from Secondary to PendingPrimary by rule "NoPrimary" at "2026-01-01T00:00:30Z"

  Rule: Override - a client forced to Primary is Primary while the override lasts, live or not, and every other client Secondary

    Scenario: A forced client becomes Primary at once and the rules wait
      Given client "S1" has sent a heartbeat with score 100
      And client "S2" has sent a heartbeat with score 50
      When an operator forces client "S2" to Primary
      Then the group status shows "S2" as primary and no pending primary
      And client "S1" is Secondary
      When client "S1" sends a heartbeat with score 100
      Then the heartbeat response tells "S1" it is Secondary
      And the events show "S1" went from Primary to Secondary by rule "Override"
      And the events show "S2" went from Secondary to Primary by rule "Override"

    Scenario: A forced client cancels a PendingPrimary
      Given client "S1" has sent a heartbeat with score 50
      And client "S2" has sent a heartbeat with score 80
      And client "S3" has sent a heartbeat with score 10
      When an operator forces client "S3" to Primary
      Then the group status shows "S3" as primary and no pending primary
      And client "S2" is Secondary
      And the events show "S2" went from PendingPrimary to Secondary by rule "Override"

    Scenario: A forced client that never sent a heartbeat is Primary at once
      Given client "S1" has sent a heartbeat with score 100
      When an operator forces client "S2" to Primary
      Then the group status shows "S2" as primary and no pending primary
      And client "S1" is Secondary
      When client "S1" sends a heartbeat with score 100
      Then the heartbeat response tells "S1" it is Secondary
      When client "S2" sends a heartbeat with score 10
      Then the heartbeat response tells "S2" it is Primary
      And the events of group "A" are:
        | Session | From      | To        | Rule         | Time                 |
        | S1      | Secondary | Primary   | FirstPrimary | 2026-01-01T00:00:00Z |
        | S1      | Primary   | Secondary | Override     | 2026-01-01T00:00:00Z |
        | S2      | Secondary | Primary   | Override     | 2026-01-01T00:00:00Z |

    Scenario: A forced client is Primary even when no client ever sent a heartbeat
      When an operator forces client "S3" to Primary
      Then the group status shows "S3" as primary and no pending primary
      When 10 minutes pass
      Then the group status shows "S3" as primary and no pending primary

    Scenario: A forced client that goes silent stays Primary
      Given client "S1" has sent a heartbeat with score 100
      And client "S2" has sent a heartbeat with score 50
      And an operator forces client "S2" to Primary
      And 20 seconds pass
      And client "S1" has sent a heartbeat with score 100
      When 11 seconds pass
      Then the group status shows "S2" as primary and no pending primary
      And client "S2" has an override to Primary that never expires
      When client "S1" sends a heartbeat with score 100
      Then the heartbeat response tells "S1" it is Secondary
      When 10 minutes pass
      Then the group status shows "S2" as primary and no pending primary
      When client "S2" sends a heartbeat with score 50
      Then the heartbeat response tells "S2" it is Primary
      And the events of group "A" are:
        | Session | From      | To        | Rule         | Time                 |
        | S1      | Secondary | Primary   | FirstPrimary | 2026-01-01T00:00:00Z |
        | S1      | Primary   | Secondary | Override     | 2026-01-01T00:00:00Z |
        | S2      | Secondary | Primary   | Override     | 2026-01-01T00:00:00Z |

    Scenario: An override that expires while its client is silent gives way at the expiry instant
      Given client "S1" has sent a heartbeat with score 100
      And client "S2" has sent a heartbeat with score 50
      And an operator forces client "S2" to Primary for "00:01:00"
      And 25 seconds pass
      And client "S1" has sent a heartbeat with score 100
      And 25 seconds pass
      And client "S1" has sent a heartbeat with score 100
      When 9 seconds pass
      Then the group status shows "S2" as primary and no pending primary
      When 1 second passes
      Then the group status shows no primary and "S1" as pending primary
      And client "S2" has no override
      And the events show "S2" went from Primary to Primary by rule "OverrideExpired" at "2026-01-01T00:01:00Z"
      And the events show "S2" went from Primary to Secondary by rule "Lapsed" at "2026-01-01T00:01:00Z"
      And the events show "S1" went from Secondary to PendingPrimary by rule "NoPrimary" at "2026-01-01T00:01:00Z"

    Scenario: Turning off the override of a silent client gives way at once
      Given client "S1" has sent a heartbeat with score 100
      And client "S2" has sent a heartbeat with score 50
      And an operator forces client "S2" to Primary
      And 20 seconds pass
      And client "S1" has sent a heartbeat with score 100
      And 20 seconds pass
      And client "S1" has sent a heartbeat with score 100
      And the group status shows "S2" as primary and no pending primary
      When an operator turns off the override of client "S2"
      Then the group status shows no primary and "S1" as pending primary
      And the events show "S2" went from Primary to Secondary by rule "Lapsed" at "2026-01-01T00:00:40Z"
      And the events show "S1" went from Secondary to PendingPrimary by rule "NoPrimary" at "2026-01-01T00:00:40Z"
      When client "S1" sends a heartbeat with score 100
      And client "S1" sends a heartbeat with score 100
      Then the heartbeat response tells "S1" it is Primary

    Scenario: An override that expires gives the decision back to the rules
      Given client "S1" has sent a heartbeat with score 100
      And client "S2" has sent a heartbeat with score 50
      And an operator forces client "S2" to Primary for "00:01:00"
      And 20 seconds pass
      And client "S1" has sent a heartbeat with score 100
      And client "S2" has sent a heartbeat with score 50
      And 20 seconds pass
      And client "S1" has sent a heartbeat with score 100
      And client "S2" has sent a heartbeat with score 50
      When 19 seconds pass
      Then the group status shows "S2" as primary and no pending primary
      When 1 second passes
      Then client "S2" has no override
      And the group status shows no primary and "S1" as pending primary
      And the events show "S2" went from Primary to Primary by rule "OverrideExpired" at "2026-01-01T00:01:00Z"
      And the events show "S2" went from Primary to Secondary by rule "WeakPrimary" at "2026-01-01T00:01:00Z"
      And the events show "S1" went from Secondary to PendingPrimary by rule "WeakPrimary" at "2026-01-01T00:01:00Z"

    Scenario: When the override is turned off the holder keeps Primary until the rules change it
      Given client "S1" has sent a heartbeat with score 100
      And client "S2" has sent a heartbeat with score 100
      And an operator forces client "S2" to Primary
      When an operator turns off the override of client "S2"
      Then the group status shows "S2" as primary and no pending primary
      When client "S1" sends a heartbeat with score 100
      Then the heartbeat response tells "S1" it is Secondary

  Rule: Only client - the only client of a group is Primary at once, whatever its score, with no PendingPrimary step

    Scenario: A lone adapter that reports a score of 0 is Primary
      Given a failover group "B" with a failover timeout of "00:00:30"
      And client "L1" has joined group "B"
      When client "L1" sends a heartbeat with score 0
      Then the heartbeat response tells "L1" it is Primary
      And the status of group "B" shows "L1" as primary and no pending primary
      And the events of group "B" are:
        | Session | From      | To      | Rule       | Time                 |
        | L1      | Secondary | Primary | OnlyClient | 2026-01-01T00:00:00Z |

    Scenario: A lone adapter that restarts is Primary again at once, with no PendingPrimary step
      Given a failover group "B" with a failover timeout of "00:00:30"
      And client "L1" has joined group "B"
      And client "L1" has sent a heartbeat with score 100
      When 31 seconds pass
      Then the status of group "B" shows no primary and no pending primary
      When client "L1" sends a heartbeat with score 100
      Then the heartbeat response tells "L1" it is Primary
      And the events of group "B" are:
        | Session | From      | To        | Rule       | Time                 |
        | L1      | Secondary | Primary   | OnlyClient | 2026-01-01T00:00:00Z |
        | L1      | Primary   | Secondary | Lapsed     | 2026-01-01T00:00:30Z |
        | L1      | Secondary | Primary   | OnlyClient | 2026-01-01T00:00:31Z |

    Scenario: The last client left after a delete is Primary at once, whatever its score
      Given client "S1" has sent a heartbeat with score 100
      And client "S2" has sent a heartbeat with score 0
      And I delete client "S3"
      When I delete client "S1"
      Then the group status shows "S2" as primary and no pending primary
      And the events of group "A" are:
        | Session | From      | To        | Rule           |
        | S1      | Secondary | Primary   | FirstPrimary   |
        | S1      | Primary   | Secondary | SessionDeleted |
        | S2      | Secondary | Primary   | OnlyClient     |

    Scenario: A PendingPrimary left alone is Primary at once, without waiting for its next heartbeat
      Given client "S1" has sent a heartbeat with score 50
      And client "S2" has sent a heartbeat with score 80
      And I delete client "S3"
      When I delete client "S1"
      Then the group status shows "S2" as primary and no pending primary
      And the events show "S2" went from PendingPrimary to Primary by rule "OnlyClient"

    Scenario: A second client is enough to stop the rule, even one that never sent a heartbeat
      Given client "S1" has sent a heartbeat with score 100
      And I delete client "S3"
      And 31 seconds pass
      When client "S1" sends a heartbeat with score 100
      Then the heartbeat response tells "S1" it is PendingPrimary

  Rule: Deleting a client runs the rules at once

    Scenario: Deleting the Primary makes the best candidate PendingPrimary
      Given client "S1" has sent a heartbeat with score 100
      And client "S2" has sent a heartbeat with score 80
      When I delete client "S1"
      Then the group status shows no primary and "S2" as pending primary
      And the events of group "A" are:
        | Session | From      | To             | Rule           |
        | S1      | Secondary | Primary        | FirstPrimary   |
        | S1      | Primary   | Secondary      | SessionDeleted |
        | S2      | Secondary | PendingPrimary | NoPrimary      |
      When client "S2" sends a heartbeat with score 80
      Then the heartbeat response tells "S2" it is PendingPrimary
      When client "S2" sends a heartbeat with score 80
      Then the heartbeat response tells "S2" it is Primary

    Scenario: Deleting the PendingPrimary lets another candidate be chosen
      Given client "S1" has sent a heartbeat with score 50
      And client "S2" has sent a heartbeat with score 80
      And client "S3" has sent a heartbeat with score 60
      When I delete client "S2"
      Then the group status shows no primary and "S3" as pending primary
      And the events show "S2" went from PendingPrimary to Secondary by rule "SessionDeleted"
      And the events show "S3" went from Secondary to PendingPrimary by rule "NoPrimary"

  Rule: A new FailoverTimeout takes effect from the moment it is stored

    Scenario: A shorter timeout makes a silent Primary lapse when it is stored
      Given client "S1" has sent a heartbeat with score 100
      And client "S2" has sent a heartbeat with score 80
      And 20 seconds pass
      And client "S2" has sent a heartbeat with score 80
      When I change the failover timeout of group "A" to "00:00:10"
      Then the group status shows no primary and "S2" as pending primary
      And the events show "S1" went from Primary to Secondary by rule "Lapsed" at "2026-01-01T00:00:20Z"

    Scenario: A longer timeout keeps a silent Primary longer
      Given client "S1" has sent a heartbeat with score 100
      And 20 seconds pass
      When I change the failover timeout of group "A" to "00:01:00"
      And 40 seconds pass
      Then the group status shows "S1" as primary and no pending primary
      When 1 second passes
      Then the group status shows no primary and no pending primary
      And the events show "S1" went from Primary to Secondary by rule "Lapsed" at "2026-01-01T00:01:00Z"

  Rule: The group's LastDataProcessedTime is the one the Primary reported last

    Scenario: Only the Primary's heartbeats move the group's time
      When client "S1" sends a heartbeat with score 100 and last data processed at "2026-01-01T10:00:00Z"
      Then the heartbeat response carries last data processed time "2026-01-01T10:00:00Z"
      And the group status shows last data processed time "2026-01-01T10:00:00Z"
      When client "S2" sends a heartbeat with score 50 and last data processed at "2026-01-01T11:00:00Z"
      Then the heartbeat response carries last data processed time "2026-01-01T10:00:00Z"
      And the group status shows last data processed time "2026-01-01T10:00:00Z"
      When client "S1" sends a heartbeat with score 100
      Then the group status shows last data processed time "2026-01-01T10:00:00Z"
      When client "S1" sends a heartbeat with score 100 and last data processed at "2026-01-01T10:05:00Z"
      Then the group status shows last data processed time "2026-01-01T10:05:00Z"

    Scenario: A new Primary learns from where to backfill, and its hand-over heartbeat counts
      Given client "S1" sends a heartbeat with score 50 and last data processed at "2026-01-01T10:00:00Z"
      When client "S2" sends a heartbeat with score 80 and last data processed at "2026-01-01T09:00:00Z"
      Then the heartbeat response tells "S2" it is PendingPrimary
      And the heartbeat response carries last data processed time "2026-01-01T10:00:00Z"
      When client "S2" sends a heartbeat with score 80 and last data processed at "2026-01-01T10:02:00Z"
      Then the heartbeat response tells "S2" it is Primary
      And the heartbeat response carries last data processed time "2026-01-01T10:02:00Z"
      And the group status shows last data processed time "2026-01-01T10:02:00Z"

    Scenario: Until a Primary reports one, the group has no time
      When client "S1" sends a heartbeat with score 0 and last data processed at "2026-01-01T10:00:00Z"
      Then the heartbeat response carries no last data processed time
      And the group status shows no last data processed time

  Rule: A group with a live client cannot be deleted; clients that are not live go with it

    Scenario: A group can be deleted once its clients have lapsed
      Given client "S1" has sent a heartbeat with score 100
      When I delete group "A"
      Then the request fails with status 409
      When 30 seconds pass
      And I delete group "A"
      Then the request fails with status 409
      When 1 second passes
      And I delete group "A"
      Then the response status is 204
      When I create group "A" with a failover timeout of "00:00:30"
      And I list the clients of group "A"
      Then the response lists no clients
