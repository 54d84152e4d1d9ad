@emulator
Feature: Virtual clients
  To see a client fail over, a test needs peers: clients that heartbeat,
  whose health score drops, that go silent, come back and leave. The
  emulator drives such peers itself, on its own clock, following a script:
  virtual clients. A virtual client registers its session at its start and
  posts a heartbeat then and every interval after (by default half the
  group's failover timeout, as real adapters do), with a score of 100 until
  its script says otherwise. Going silent stops its heartbeats, resuming
  starts them again at once, and leaving deletes its session.

  Its heartbeats go through the same rules as a real client's, at their own
  instants: when the clock moves ten minutes in one step, every heartbeat
  and every role change inside those ten minutes happens in order, exactly
  as if the clock had ticked through them.

  Background:
    Given the emulator clock is frozen at "2026-01-01T00:00:00Z"
    And a failover group "A" with a failover timeout of "00:00:30"
    And client "S1" has joined group "A"

  Rule: A virtual client registers its session and heartbeats every half failover timeout

    Scenario: A virtual peer with nothing to do keeps heartbeating as Primary
      Given a virtual client "peer" in group "A"
      When 1 minute passes
      Then the virtual client "peer" has sent 5 heartbeats
      And the virtual client "peer" was last told it is Primary
      And the virtual client "peer" is heartbeating
      And the journal holds 6 virtual requests
      And the status of group "A" shows "peer" as primary and no pending primary

    Scenario: A peer heartbeating faster than the rate limit allows lapses
      Given heartbeats are limited to one every "00:00:40"
      And a virtual client "peer" in group "A"
      When 50 seconds pass
      Then the journal holds 2 virtual requests answered 429
      And the events show "peer" went from Primary to Secondary by rule "Lapsed" at "2026-01-01T00:00:30Z"

  Rule: A silent peer lapses at its own instant, and the real client is told on its next heartbeat

    Scenario: A virtual peer goes silent; two minutes later the real client is told it is PendingPrimary
      Given a virtual client "peer" in group "A" that goes silent after 50 seconds
      When 2 minutes pass
      Then the real client "S1" is told it is PendingPrimary on its next heartbeat
      And the real client "S1" is told it is Primary on its next heartbeat
      And the virtual client "peer" is silent
      And the events of group "A" are:
        | Session | From           | To             | Rule         | Time                 |
        | peer    | Secondary      | Primary        | FirstPrimary | 2026-01-01T00:00:00Z |
        | peer    | Primary        | Secondary      | Lapsed       | 2026-01-01T00:01:15Z |
        | S1      | Secondary      | PendingPrimary | NoPrimary    | 2026-01-01T00:02:00Z |
        | S1      | PendingPrimary | Primary        | HandOver     | 2026-01-01T00:02:00Z |

    Scenario: A real client heartbeating all along is chosen the moment the silent peer lapses
      Given a virtual client "peer" in group "A" that goes silent after 50 seconds
      When client "S1" sends a heartbeat with score 80 every 15 seconds for 2 minutes
      Then the heartbeat response tells "S1" it is Primary
      And the events of group "A" are:
        | Session | From           | To             | Rule         | Time                 |
        | peer    | Secondary      | Primary        | FirstPrimary | 2026-01-01T00:00:00Z |
        | peer    | Primary        | Secondary      | Lapsed       | 2026-01-01T00:01:15Z |
        | S1      | Secondary      | PendingPrimary | NoPrimary    | 2026-01-01T00:01:15Z |
        | S1      | PendingPrimary | Primary        | HandOver     | 2026-01-01T00:01:45Z |

  Rule: A peer whose score drops below the real client's hands over to it

    Scenario: A Primary peer's score drops and the real client takes over (WeakPrimary)
      Given a virtual client "peer" in group "A" with the script:
        | after      | it               |
        | 40 seconds | reports score 20 |
      When client "S1" sends a heartbeat with score 80 every 15 seconds for 1 minute
      Then the heartbeat response tells "S1" it is Primary
      And the virtual client "peer" was last told it is Secondary
      And the events of group "A" are:
        | Session | From           | To             | Rule         | Time                 |
        | peer    | Secondary      | Primary        | FirstPrimary | 2026-01-01T00:00:00Z |
        | peer    | Primary        | Secondary      | WeakPrimary  | 2026-01-01T00:00:45Z |
        | S1      | Secondary      | PendingPrimary | WeakPrimary  | 2026-01-01T00:00:45Z |
        | S1      | PendingPrimary | Primary        | HandOver     | 2026-01-01T00:01:00Z |

  Rule: A peer that leaves deletes its session; a removed one simply stops

    Scenario: A Primary peer leaves, and the real client is the only one left
      Given a virtual client "peer" in group "A" that leaves after 40 seconds
      When client "S1" sends a heartbeat with score 80 every 15 seconds for 1 minute
      Then the heartbeat response tells "S1" it is Primary
      And the virtual client "peer" has left
      And the events of group "A" are:
        | Session | From      | To        | Rule           | Time                 |
        | peer    | Secondary | Primary   | FirstPrimary   | 2026-01-01T00:00:00Z |
        | peer    | Primary   | Secondary | SessionDeleted | 2026-01-01T00:00:40Z |
        | S1      | Secondary | Primary   | OnlyClient     | 2026-01-01T00:00:40Z |
      When I list the clients of group "A"
      Then the response lists the clients "S1"

    Scenario: A removed virtual client leaves its session behind, which lapses
      Given a virtual client "peer" in group "A"
      And 20 seconds pass
      When I remove the virtual client "peer"
      Then the emulator has no virtual clients
      When client "S1" sends a heartbeat with score 80 every 15 seconds for 1 minute
      Then the heartbeat response tells "S1" it is Primary
      And the events show "peer" went from Primary to Secondary by rule "Lapsed" at "2026-01-01T00:00:45Z"

    Scenario: A virtual client removed with its session deletes it at once
      Given a virtual client "peer" in group "A"
      When I remove the virtual client "peer" and its session
      Then the events show "peer" went from Primary to Secondary by rule "SessionDeleted" at "2026-01-01T00:00:00Z"
      And the journal holds 3 virtual requests
      When I list the clients of group "A"
      Then the response lists the clients "S1"

  Rule: Time decides, not how the clock is moved: one big jump tells the same story as many small steps

    Scenario Outline: Ten minutes of two peers, in one move or in steps of <step>
      Given a virtual client "P1" in group "A" with the script:
        | after      | it               |
        | 50 seconds | goes silent      |
        | 3 minutes  | resumes          |
        | 5 minutes  | reports score 30 |
      And a virtual client "P2" in group "A" heartbeating every "00:00:10" with the script:
        | after     | it               |
        | 0 seconds | reports score 80 |
        | 8 minutes | leaves           |
      When 10 minutes pass in steps of <step>
      Then the events of group "A" are:
        | Session | From           | To             | Rule           | Time                 |
        | P1      | Secondary      | Primary        | FirstPrimary   | 2026-01-01T00:00:00Z |
        | P1      | Primary        | Secondary      | Lapsed         | 2026-01-01T00:01:15Z |
        | P2      | Secondary      | PendingPrimary | NoPrimary      | 2026-01-01T00:01:15Z |
        | P2      | PendingPrimary | Primary        | HandOver       | 2026-01-01T00:01:30Z |
        | P2      | Primary        | Secondary      | WeakPrimary    | 2026-01-01T00:03:00Z |
        | P1      | Secondary      | PendingPrimary | WeakPrimary    | 2026-01-01T00:03:00Z |
        | P1      | PendingPrimary | Primary        | HandOver       | 2026-01-01T00:03:15Z |
        | P1      | Primary        | Secondary      | WeakPrimary    | 2026-01-01T00:05:00Z |
        | P2      | Secondary      | PendingPrimary | WeakPrimary    | 2026-01-01T00:05:00Z |
        | P2      | PendingPrimary | Primary        | HandOver       | 2026-01-01T00:05:10Z |
        | P2      | Primary        | Secondary      | SessionDeleted | 2026-01-01T00:08:00Z |
        | P1      | Secondary      | PendingPrimary | NoPrimary      | 2026-01-01T00:08:00Z |
        | P1      | PendingPrimary | Primary        | HandOver       | 2026-01-01T00:08:30Z |

      Examples:
        | step       |
        | 10 minutes |
        | 1 second   |
        | 7 seconds  |

    Scenario: The same story told again in steps of a second gives the same events as one jump
      Given a virtual client "P1" in group "A" that goes silent after 50 seconds
      And a virtual client "P2" in group "A" with score 80
      And I take note of where the story is
      When 10 minutes pass
      And I take note of the events of group "A"
      And the story goes back to where I took note of it
      And 10 minutes pass in steps of 1 second
      Then the events of group "A" since the note are the ones I took note of

  Rule: Virtual clients speak any surface, the on-premises one included

    @onprem
    Scenario: A silent peer on the on-premises surface hands over to the real client
      Given a failover group "B" on the on-premises surface with a failover timeout of "00:00:30"
      And client "S2" has joined on-premises group "B"
      And a virtual client "peer" in on-premises group "B" that goes silent after 50 seconds
      When client "S2" sends a heartbeat with score 80 every 15 seconds for 2 minutes
      Then the heartbeat response tells "S2" it is Primary
      And the on-premises group "B" shows "S2" as primary and no pending primary
      And the journal shows the heartbeats of virtual client "peer" at "/api/v1/clientfailover/groups/{B}/clientsessions/{peer}/heartbeat" with the property "FailoverScore"

  Rule: Bad input is refused with 400 naming the problem, and nothing is created

    Scenario Outline: A virtual client with <problem> is refused
      When I add a virtual client with the body:
        """
        <body>
        """
      Then the response status is 400
      And the error response mentions "<says>"
      And the emulator has no virtual clients
      And the journal holds 0 virtual requests

      Examples:
        | problem                      | body                                                                                                                                                   | says                                              |
        | an unknown group             | {"Tenant": "{tenant}", "Namespace": "{namespace}", "Group": "{nowhere}", "Session": {"Id": "{peer}"}}                                                  | No failover group with Id                         |
        | an unknown surface           | {"Surface": "v2", "Tenant": "{tenant}", "Namespace": "{namespace}", "Group": "{A}", "Session": {"Id": "{peer}"}}                                       | v2                                                |
        | no tenant on a cloud surface | {"Namespace": "{namespace}", "Group": "{A}", "Session": {"Id": "{peer}"}}                                                                              | Tenant is required                                |
        | a tenant on onprem           | {"Surface": "onprem", "Tenant": "{tenant}", "Group": "{A}", "Session": {"Id": "{peer}"}}                                                               | must be absent on the                             |
        | an interval of zero          | {"Interval": "00:00:00", "Tenant": "{tenant}", "Namespace": "{namespace}", "Group": "{A}", "Session": {"Id": "{peer}"}}                                 | must be greater than zero                         |
        | a negative interval          | {"Interval": "-00:00:05", "Tenant": "{tenant}", "Namespace": "{namespace}", "Group": "{A}", "Session": {"Id": "{peer}"}}                                | must be greater than zero                         |
        | steps out of order           | {"Tenant": "{tenant}", "Namespace": "{namespace}", "Group": "{A}", "Session": {"Id": "{peer}"}, "Script": [{"At": "00:01:00", "Silent": true}, {"At": "00:00:30", "Resume": true}]} | steps must be in time order |
        | a step with nothing to do    | {"Tenant": "{tenant}", "Namespace": "{namespace}", "Group": "{A}", "Session": {"Id": "{peer}"}, "Script": [{"At": "00:01:00"}]}                       | give exactly one                                  |
        | a step with two things to do | {"Tenant": "{tenant}", "Namespace": "{namespace}", "Group": "{A}", "Session": {"Id": "{peer}"}, "Script": [{"At": "00:01:00", "Silent": true, "Leave": true}]} | give exactly one of Score, Silent, Resume and Leave |
        | a score above 100            | {"Tenant": "{tenant}", "Namespace": "{namespace}", "Group": "{A}", "Session": {"Id": "{peer}"}, "Script": [{"At": "00:00:10", "Score": 101}]}          | outside 0 to 100                                  |
        | a score below 0              | {"Tenant": "{tenant}", "Namespace": "{namespace}", "Group": "{A}", "Session": {"Id": "{peer}"}, "Script": [{"At": "00:00:10", "Score": -5}]}           | outside 0 to 100                                  |
        | an unknown property          | {"Tenant": "{tenant}", "Namespace": "{namespace}", "Group": "{A}", "Session": {"Id": "{peer}"}, "Scrpt": []}                                           | Scrpt                                             |

    @cloud
    Scenario: A second virtual client for one session is refused
      Given a virtual client "peer" in group "A"
      When I add a virtual client with the body:
        """
        {"Id": "{other}", "Tenant": "{tenant}", "Namespace": "{namespace}", "Group": "{A}", "Session": {"Id": "{peer}"}}
        """
      Then the response status is 400
      And the error response mentions "already drives client session"
      And the emulator has 1 virtual client

    Scenario: A clock move that would take more heartbeats than allowed is refused, and the clock stays
      Given a virtual client "peer" in group "A" heartbeating every "00:00:00.001"
      When I send POST to "/_emulator/clock/advance" with the body:
        """
        {"By": "00:02:00"}
        """
      Then the response status is 400
      And the error response mentions "would have the virtual clients post 120000 heartbeats; one move may take at most 100000"
      And the virtual client "peer" has sent 1 heartbeat
