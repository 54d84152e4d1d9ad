@onprem @emulator @auth
Feature: On-premises authentication and the two local groups
  The on-premises service authenticates its callers as Windows accounts, with
  HTTP Basic (RFC 7617) or Kerberos; the emulator does Basic against the
  Windows accounts of its fixtures (Kerberos is not emulated). When the
  emulator requires credentials (--auth token), a call without valid ones
  gets 401 with the service's two challenges, WWW-Authenticate:
  Basic realm="Client Failover Service" and Negotiate.

  Two local groups of the service's computer decide what a caller may do:
  members of AVEVAFailoverUsers may read groups and sessions, create and
  replace groups and sessions, delete sessions and post heartbeats; members
  of AVEVAFailoverAdministrators may also delete groups, override roles and
  read and change the configuration. An account in neither group gets 403,
  always with an ErrorResponse. There are no access control lists.

  Background:
    Given the emulator clock is frozen at "2026-01-01T00:00:00Z"
    And the emulator requires Basic credentials and knows these Windows accounts:
      | Name            | Password     | Groups                      |
      | PLANT\operator  | op-secret    | AVEVAFailoverAdministrators |
      | PLANT\adapter-1 | a1-secret    | AVEVAFailoverUsers          |
      | guest           | guest-secret |                             |
    And I call as Windows account "PLANT\operator"
    And a failover group "A"
    And client "S1" has joined group "A"
    And a health endpoint "E1"
    And I take note of the emulator state

  Rule: A call without valid Basic credentials gets 401 with the Basic and Negotiate challenges, and changes nothing

    Scenario Outline: <operation> without credentials gets 401
      Given I call without credentials
      When I send a valid "<operation>" request
      Then the request is refused for want of Basic credentials
      And the emulator state is unchanged

      Examples:
        | operation                 |
        | Get Information           |
        | List Group Configurations |
        | Post Group                |
        | Get Group Configuration   |
        | Put Group                 |
        | Delete Group              |
        | Get Group Status          |
        | List Client Sessions      |
        | Post Client Session       |
        | Get Client Session        |
        | Delete Client Session     |
        | Post Heartbeat Message    |
        | Post Role Override        |
        | Get Configuration         |
        | Put Configuration         |
        | Get Logging Configuration |
        | Put Logging Configuration |
        | List Health Endpoints     |
        | Delete Health Endpoints   |
        | Post Health Endpoints     |
        | Put Health Endpoints      |
        | Get Health Endpoint       |
        | Put Health Endpoint       |
        | Delete Health Endpoint    |

    Scenario Outline: <credentials> are refused
      Given I call as Windows account "<name>" with the password "<password>"
      When I list the groups
      Then the request is refused for want of Basic credentials

      Examples:
        | credentials                          | name            | password  |
        | An administrator's wrong password    | PLANT\operator  | guessed   |
        | A user's wrong password              | PLANT\adapter-1 | op-secret |
        | A password in another case           | PLANT\operator  | OP-SECRET |
        | An empty password                    | PLANT\operator  |           |
        | An account the service does not know | PLANT\mallory   | op-secret |
        | An account name without its domain   | operator        | op-secret |
        | Another account's password           | guest           | a1-secret |

    Scenario Outline: An Authorization header that is not Basic credentials is refused: <header>
      Given I call with the Authorization header "<header>"
      When I get the service information
      Then the request is refused for want of Basic credentials

      Examples:
        | header                                     |
        | Bearer a-token-of-the-cloud                |
        | Negotiate YIIBhwYGKwYBBQUCoIIBezCCAXegDTAL |
        | Basic not-base64!                          |
        | Basic UExBTlRcb3BlcmF0b3I=                 |
        | Digest username=operator                   |

    Scenario: The account name is matched in any case
      Given I call as Windows account "plant\OPERATOR" with the password "op-secret"
      When I list the groups
      Then the response status is 200
      And the response lists the groups "A"

    Scenario: The Basic scheme is read in any case
      Given I call with the Authorization header "basic UExBTlRcb3BlcmF0b3I6b3Atc2VjcmV0"
      When I list the groups
      Then the response status is 200

    Scenario: A refused call's body is not kept in the journal, only its size
      Given I call as Windows account "PLANT\operator" with the password "guessed"
      When I send POST to "/api/v1/clientfailover/groups" with the body:
        """
        {"Id": "{B}", "FailoverTimeout": "00:01:00"}
        """
      Then the request is refused for want of Basic credentials
      When I send GET to "/_emulator/requests?status=401"
      Then the response property "Requests.0.RequestBody" is null
      And the response property "Requests.0.BodySize" is 53
      When I call as Windows account "PLANT\operator"
      Then group "B" does not exist

  Rule: A member of AVEVAFailoverUsers runs the adapters' operations

    Background:
      Given I call as Windows account "PLANT\adapter-1"

    Scenario Outline: A member of AVEVAFailoverUsers may <operation>: <status>
      When I send a valid "<operation>" request
      Then the response status is <status>

      Examples:
        | operation                 | status |
        | Get Information           | 200    |
        | List Group Configurations | 200    |
        | Post Group                | 201    |
        | Get Group Configuration   | 200    |
        | Put Group                 | 200    |
        | Get Group Status          | 200    |
        | List Client Sessions      | 200    |
        | Post Client Session       | 201    |
        | Get Client Session        | 200    |
        | Delete Client Session     | 204    |
        | Post Heartbeat Message    | 200    |

    Scenario Outline: A member of AVEVAFailoverUsers gets 403 on <operation> and changes nothing
      When I send a valid "<operation>" request
      Then the request fails with status 403
      And the error response mentions "AVEVAFailoverAdministrators"
      And the emulator state is unchanged

      Examples:
        | operation                 |
        | Delete Group              |
        | Post Role Override        |
        | Get Configuration         |
        | Put Configuration         |
        | Get Logging Configuration |
        | Put Logging Configuration |
        | List Health Endpoints     |
        | Delete Health Endpoints   |
        | Post Health Endpoints     |
        | Put Health Endpoints      |
        | Get Health Endpoint       |
        | Put Health Endpoint       |
        | Delete Health Endpoint    |

  Rule: A member of AVEVAFailoverAdministrators may also delete groups, override roles and configure

    Scenario Outline: A member of AVEVAFailoverAdministrators may <operation>: <status>
      When I send a valid "<operation>" request
      Then the response status is <status>

      Examples:
        | operation                 | status |
        | Get Information           | 200    |
        | List Group Configurations | 200    |
        | Post Group                | 201    |
        | Get Group Configuration   | 200    |
        | Put Group                 | 200    |
        | Delete Group              | 204    |
        | Get Group Status          | 200    |
        | List Client Sessions      | 200    |
        | Post Client Session       | 201    |
        | Get Client Session        | 200    |
        | Delete Client Session     | 204    |
        | Post Heartbeat Message    | 200    |
        | Post Role Override        | 200    |
        | Get Configuration         | 200    |
        | Put Configuration         | 204    |
        | Get Logging Configuration | 200    |
        | Put Logging Configuration | 204    |
        | List Health Endpoints     | 200    |
        | Delete Health Endpoints   | 204    |
        | Post Health Endpoints     | 201    |
        | Put Health Endpoints      | 204    |
        | Get Health Endpoint       | 200    |
        | Put Health Endpoint       | 204    |
        | Delete Health Endpoint    | 204    |

    Scenario: An administrator forces a user's adapter to Secondary, which the user reads
      Given I call as Windows account "PLANT\adapter-1"
      And client "S1" has sent a heartbeat with score 100
      And I call as Windows account "PLANT\operator"
      When an operator forces client "S1" to Secondary
      Then the response status is 200
      And the response property "Value" is 2
      When I call as Windows account "PLANT\adapter-1"
      Then client "S1" has an override to Secondary that never expires
      And client "S1" is Secondary

  Rule: An account in neither group may do nothing

    Scenario Outline: An account in neither group gets 403 on <operation> and changes nothing
      Given I call as Windows account "guest"
      When I send a valid "<operation>" request
      Then the request fails with status 403
      And the error response mentions "neither AVEVAFailoverUsers nor AVEVAFailoverAdministrators"
      And the emulator state is unchanged

      Examples:
        | operation                 |
        | Get Information           |
        | List Group Configurations |
        | Post Group                |
        | Get Group Configuration   |
        | Put Group                 |
        | Delete Group              |
        | Get Group Status          |
        | List Client Sessions      |
        | Post Client Session       |
        | Get Client Session        |
        | Delete Client Session     |
        | Post Heartbeat Message    |
        | Post Role Override        |
        | Get Configuration         |
        | Put Configuration         |
        | Get Logging Configuration |
        | Put Logging Configuration |
        | List Health Endpoints     |
        | Delete Health Endpoints   |
        | Post Health Endpoints     |
        | Put Health Endpoints      |
        | Get Health Endpoint       |
        | Put Health Endpoint       |
        | Delete Health Endpoint    |

    Scenario: An account in neither group gets 403 even for a group that does not exist
      Given I call as Windows account "guest"
      When I get group "Missing"
      Then the request fails with status 403
