Feature: Failover timeouts are .NET time-spans
  A group's FailoverTimeout is written as .NET writes a TimeSpan. The service
  reads every form .NET's TimeSpan.Parse reads, and always answers in the
  constant form [d.]hh:mm:ss[.fffffff], with seven fraction digits when there
  is a fraction. A FailoverTimeout must be given and be greater than zero.

  Scenario Outline: Each accepted form is answered in the constant form
    When I create group "A" with a failover timeout of "<written>"
    Then the response status is 201
    And the response is group "A" with a failover timeout of "<answered>"
    And group "A" has a failover timeout of "<answered>"

    Examples:
      | written      | answered           |
      | 00:01:00     | 00:01:00           |
      | 0:01:00      | 00:01:00           |
      | 00:00:30     | 00:00:30           |
      | 12:00:00     | 12:00:00           |
      | 1.02:03:04.5 | 1.02:03:04.5000000 |
      | 00:00:00.25  | 00:00:00.2500000   |
      | 1            | 1.00:00:00         |
      | 00:01        | 00:01:00           |
      | 3.00:00:00   | 3.00:00:00         |
      | 1:02:03:04   | 1.02:03:04         |
      | 24:00:00     | 24.00:00:00        |

  Scenario: Spaces around a time-span are ignored
    When I create a group with the body:
      """
      {"Id": "{A}", "FailoverTimeout": " 00:01:00 "}
      """
    Then the response status is 201
    And the response is group "A" with a failover timeout of "00:01:00"

  Scenario: A replaced group answers its new timeout in the constant form
    Given a failover group "A" with a failover timeout of "00:00:30"
    When I put group "A" with a failover timeout of "0:2:0"
    Then the response status is 200
    And the response is group "A" with a failover timeout of "00:02:00"

  Scenario: The list answers timeouts in the constant form
    Given I create group "A" with a failover timeout of "1.02:03:04.5"
    When I list the groups
    Then the response property "0.FailoverTimeout" is "1.02:03:04.5000000"

  Scenario Outline: A missing, null, zero, negative or unreadable timeout fails with 400
    When I create a group with the body:
      """
      {"Id": "{A}", <timeout>}
      """
    Then the request fails with status 400
    And the error response mentions "FailoverTimeout"
    And group "A" does not exist

    Examples:
      | timeout                           |
      | "Name": "no timeout"              |
      | "FailoverTimeout": null           |
      | "FailoverTimeout": 30             |
      | "FailoverTimeout": true           |
      | "FailoverTimeout": {}             |
      | "FailoverTimeout": ""             |
      | "FailoverTimeout": "soon"         |
      | "FailoverTimeout": "00:01:00 min" |
      | "FailoverTimeout": "00:00:00"     |
      | "FailoverTimeout": "0"            |
      | "FailoverTimeout": "-00:01:00"    |
      | "FailoverTimeout": "-1"           |

  Scenario Outline: Replacing a group with a bad timeout fails with 400 and keeps the old one
    Given a failover group "A" with a failover timeout of "00:00:30"
    When I put group "A" with the body:
      """
      {"Id": "{A}", <timeout>}
      """
    Then the request fails with status 400
    And the error response mentions "FailoverTimeout"
    And group "A" has a failover timeout of "00:00:30"

    Examples:
      | timeout                        |
      | "Name": "no timeout"           |
      | "FailoverTimeout": null        |
      | "FailoverTimeout": "00:00:00"  |
      | "FailoverTimeout": "-00:00:30" |
