Feature: Service information
  The root of the Client Failover service in a namespace tells its version.

  Scenario: The service tells its version
    When I get the service information
    Then the response status is 200
    And the response is a valid "FailoverEndpointInfo"
    And the response property "Version" is a non-empty string

  @cloud
  Scenario: The generally available revision tells its version too
    When I get the service information through the v1 API
    Then the response status is 200
    And the response is a valid "FailoverEndpointInfo"
    And the response property "Version" is a non-empty string
