@onprem
Feature: The on-premises service's configuration
  The Client Failover Service has a configuration of its own under
  /api/v1/configuration: the level of its log (Verbose, Debug, Information,
  Warning, Error or Fatal, names read in any case; Information on a new
  service) and the health endpoints it sends its health data to (OMF
  endpoints: an Id, the Endpoint URL, a user name and password or a client id
  and secret with a token endpoint, and whether to validate the endpoint's
  certificate). Passwords and client secrets are write-only: the service
  answers them as null. Only members of AVEVAFailoverAdministrators may read
  or change it (onprem-authorisation.feature).

  The emulator stores and checks the configuration and never sends anything
  to a health endpoint. The scenarios that change it run only against the
  emulator, which is reset around them: on a real service they would change
  where it sends its health data.

  Rule: The configuration is read whole or in parts

    Scenario: The whole configuration is read
      When I get the configuration
      Then the response status is 200
      And the response is a valid "Configuration"
      And the response has exactly the properties "Logging" and "HealthEndpoints"

    Scenario: The logging configuration is read
      When I get the logging configuration
      Then the response status is 200
      And the response is a valid "LoggingConfiguration"
      And the response has exactly the properties "LogLevel"

    Scenario: The health endpoints are listed
      When I list the health endpoints
      Then the response status is 200
      And the response is a valid "HealthEndpoint[]"

    Scenario: A health endpoint that does not exist fails with 404
      When I get health endpoint "Missing"
      Then the request fails with status 404

  @emulator
  Rule: A new service logs at Information and has no health endpoints; a reset restores that

    Scenario: A new service has the defaults
      When I get the configuration
      Then the response property "Logging.LogLevel" is "Information"
      And the response property "HealthEndpoints" is []

    Scenario: A reset restores the defaults
      Given I set the log level to "Fatal"
      And the health endpoints "E1" and "E2"
      When I send POST to "/_emulator/reset"
      Then the response status is 200
      And the log level is "Information"
      And there are no health endpoints

  @emulator
  Rule: Put Logging Configuration sets the log level, named in any case

    Scenario Outline: Level "<written>" is stored as <stored>
      When I set the log level to "<written>"
      Then the response status is 204
      And the response body is empty
      And the log level is "<stored>"
      When I get the configuration
      Then the response property "Logging.LogLevel" is "<stored>"

      Examples:
        | written     | stored      |
        | Verbose     | Verbose     |
        | debug       | Debug       |
        | INFORMATION | Information |
        | Warning     | Warning     |
        | error       | Error       |
        | fATAL       | Fatal       |

    Scenario Outline: A level that is not one of them fails with 400 and keeps the old one
      Given I set the log level to "Warning"
      When I send PUT to "/api/v1/configuration/logging" with the body:
        """
        <body>
        """
      Then the request fails with status 400
      And the error response mentions "<mentions>"
      And the log level is "Warning"

      Examples:
        | body                 | mentions                                           |
        | {"LogLevel": "Loud"} | Verbose, Debug, Information, Warning, Error, Fatal |
        | {"LogLevel": "Info"} | Info                                               |
        | {"LogLevel": ""}     | LogLevel                                           |
        | {"LogLevel": 2}      | LogLevel                                           |
        | {"LogLevel": null}   | LogLevel                                           |
        | {}                   | LogLevel                                           |
        | {"Level": "Debug"}   | LogLevel                                           |
        | "Debug"              | JSON object                                        |
        | {"LogLevel": "Debug" | JSON                                               |

  @emulator
  Rule: Post Health Endpoints adds one endpoint or a list of them, and answers them

    Scenario: Adding one endpoint answers it with 201, its secrets as null
      When I add health endpoints with the body:
        """
        {"Id": "{E1}", "Endpoint": "https://pi.example/piwebapi/omf", "Username": "pi-user", "Password": "pi-password", "ClientId": "client-1", "ClientSecret": "client-secret", "TokenEndpoint": "https://id.example/connect/token", "ValidateEndpointCertificate": false}
        """
      Then the response status is 201
      And the response is a valid "HealthEndpoint[]"
      And the response is a list of 1 item
      And the response property "0.Id" is "{E1}"
      And the response property "0.Endpoint" is "https://pi.example/piwebapi/omf"
      And the response property "0.Username" is "pi-user"
      And the response property "0.Password" is null
      And the response property "0.ClientId" is "client-1"
      And the response property "0.ClientSecret" is null
      And the response property "0.TokenEndpoint" is "https://id.example/connect/token"
      And the response property "0.ValidateEndpointCertificate" is false
      When I get health endpoint "E1"
      Then the response status is 200
      And the response is a valid "HealthEndpoint"
      And the response has exactly the properties "Id", "Endpoint", "Username", "Password", "ClientId", "ClientSecret", "TokenEndpoint" and "ValidateEndpointCertificate"
      And the response property "Password" is null
      And the response property "ClientSecret" is null
      When I get the configuration
      Then the response property "HealthEndpoints.0.Password" is null
      And the response property "HealthEndpoints.0.ClientSecret" is null

    Scenario: A list is added in its order; an endpoint without an Id gets a new GUID and validates certificates
      When I add health endpoints with the body:
        """
        [{"Id": "{E1}", "Endpoint": "http://e1.example:5590/omf"}, {"Endpoint": "https://e2.example/omf"}]
        """
      Then the response status is 201
      And the response is a list of 2 items
      And the response property "0.Id" is "{E1}"
      And the response property "1.Id" is a new GUID
      And the response property "1.ValidateEndpointCertificate" is true
      When I list the health endpoints
      Then the response is a list of 2 items
      And the response property "0.Id" is "{E1}"
      And the response property "1.Endpoint" is "https://e2.example/omf"

    Scenario: Adding an endpoint whose Id exists, in any case, fails with 409 and adds nothing
      Given a health endpoint "E1"
      When I add health endpoints with the body:
        """
        [{"Id": "{E2}", "Endpoint": "https://e2.example/omf"}, {"Id": "{lower:E1}", "Endpoint": "https://e1.example/omf"}]
        """
      Then the request fails with status 409
      And the error response mentions "{E1}"
      And the health endpoints are "E1"

    Scenario Outline: An endpoint that is not valid fails with 400 and adds nothing
      Given a health endpoint "E1"
      When I add health endpoints with the body:
        """
        <body>
        """
      Then the request fails with status 400
      And the error response mentions "<mentions>"
      And the health endpoints are "E1"

      Examples: an Endpoint that is not a well-formed http or https URL
        | body                                                  | mentions |
        | {"Id": "{E2}", "Endpoint": "ftp://e2.example/omf"}    | Endpoint |
        | {"Id": "{E2}", "Endpoint": "e2.example/omf"}          | Endpoint |
        | {"Id": "{E2}", "Endpoint": "https:///omf"}            | Endpoint |
        | {"Id": "{E2}", "Endpoint": "https://e 2.example/omf"} | Endpoint |
        | {"Id": "{E2}", "Endpoint": ""}                        | Endpoint |
        | {"Id": "{E2}", "Endpoint": null}                      | Endpoint |
        | {"Id": "{E2}"}                                        | Endpoint |
        | {"Id": "{E2}", "Endpoint": 5590}                      | Endpoint |

      Examples: other properties of the wrong kind
        | body                                                                                       | mentions                    |
        | {"Id": "{E2}", "Endpoint": "https://e2.example/omf", "TokenEndpoint": "mailto:id@example"} | TokenEndpoint               |
        | {"Id": 7, "Endpoint": "https://e2.example/omf"}                                            | Id                          |
        | {"Id": "{E2}", "Endpoint": "https://e2.example/omf", "ValidateEndpointCertificate": "no"}  | ValidateEndpointCertificate |
        | {"Id": "{E2}", "Endpoint": "https://e2.example/omf", "Password": 1234}                     | Password                    |

      Examples: lists with one bad endpoint, or the same Id twice
        | body                                                                                                         | mentions |
        | [{"Id": "{E2}", "Endpoint": "https://e2.example/omf"}, {"Id": "{E3}", "Endpoint": "ftp://e3.example"}]       | Endpoint |
        | [{"Id": "{E2}", "Endpoint": "https://e2.example/omf"}, {"Id": "{E2}", "Endpoint": "https://e3.example/omf"}] | twice    |
        | [42]                                                                                                         | object   |

      Examples: bodies that are not an endpoint
        | body                                             | mentions |
        | 42                                               | object   |
        | {"Id": "{E2}", "Endpoint": "https://e2.example/" | JSON     |

  @emulator
  Rule: Put Health Endpoints replaces every endpoint with a list, each with its Id

    Scenario: The list replaces the endpoints, in its order
      Given the health endpoints "E1" and "E2"
      When I replace the health endpoints with:
        """
        [{"Id": "{E3}", "Endpoint": "https://e3.example/omf"}, {"Id": "{E1}", "Endpoint": "https://moved.example/omf"}]
        """
      Then the response status is 204
      And the response body is empty
      And the health endpoints are "E3" and "E1"
      When I get health endpoint "E1"
      Then the response property "Endpoint" is "https://moved.example/omf"

    Scenario: An empty list removes every endpoint
      Given the health endpoints "E1" and "E2"
      When I replace the health endpoints with:
        """
        []
        """
      Then the response status is 204
      And there are no health endpoints

    Scenario Outline: A list that is not valid fails with 400 and changes nothing
      Given the health endpoints "E1" and "E2"
      When I replace the health endpoints with:
        """
        <body>
        """
      Then the request fails with status 400
      And the error response mentions "<mentions>"
      And the health endpoints are "E1" and "E2"

      Examples:
        | body                                                                                                         | mentions |
        | [{"Endpoint": "https://e3.example/omf"}]                                                                     | Id       |
        | [{"Id": "{E3}", "Endpoint": "https://e3.example/omf"}, {"Endpoint": "https://e4.example/omf"}]               | Id       |
        | [{"Id": "{E3}", "Endpoint": "https://e3.example/omf"}, {"Id": "{E3}", "Endpoint": "https://e4.example/omf"}] | twice    |
        | [{"Id": "{E3}", "Endpoint": "ftp://e3.example/omf"}]                                                         | Endpoint |
        | {"Id": "{E3}", "Endpoint": "https://e3.example/omf"}                                                         | array    |

  @emulator
  Rule: Get, Put and Delete Health Endpoint work on one endpoint, by its Id in any case

    Background:
      Given I add health endpoints with the body:
        """
        {"Id": "{E1}", "Endpoint": "https://e1.example/omf", "Username": "pi-user", "Password": "pi-password", "ValidateEndpointCertificate": false}
        """
      And the response status is 201

    Scenario: An endpoint is read by its Id in any case and keeps the Id as first written
      When I send GET to "/api/v1/configuration/healthEndpoints/{upper:E1}"
      Then the response status is 200
      And the response property "Id" is "{E1}"
      And the response property "Username" is "pi-user"
      And the response property "Password" is null

    Scenario: Putting an endpoint replaces it: what the body leaves out is null, or true for ValidateEndpointCertificate
      When I put health endpoint "E1" with the body:
        """
        {"Endpoint": "https://moved.example/omf"}
        """
      Then the response status is 204
      And the response body is empty
      When I get health endpoint "E1"
      Then the response property "Endpoint" is "https://moved.example/omf"
      And the response property "Username" is null
      And the response property "ValidateEndpointCertificate" is true

    Scenario: The body may repeat the endpoint's Id, in any case
      When I send PUT to "/api/v1/configuration/healthEndpoints/{lower:E1}" with the body:
        """
        {"Id": "{upper:E1}", "Endpoint": "https://moved.example/omf"}
        """
      Then the response status is 204
      And the health endpoints are "E1"
      When I get health endpoint "E1"
      Then the response property "Id" is "{E1}"

    Scenario: Putting an endpoint that does not exist fails with 404 and adds nothing
      When I put health endpoint "E2" with the body:
        """
        {"Endpoint": "https://e2.example/omf"}
        """
      Then the request fails with status 404
      And the health endpoints are "E1"

    Scenario Outline: A body that is not valid fails with 400 and leaves the endpoint unchanged
      Given I take note of the emulator state
      When I put health endpoint "E1" with the body:
        """
        <body>
        """
      Then the request fails with status 400
      And the error response mentions "<mentions>"
      And the emulator state is unchanged

      Examples:
        | body                                                 | mentions |
        | {"Id": "{E2}", "Endpoint": "https://e2.example/omf"} | differs  |
        | {"Endpoint": "ftp://e1.example/omf"}                 | Endpoint |
        | {}                                                   | Endpoint |
        | [{"Id": "{E1}", "Endpoint": "https://e1.example/"}]  | object   |

    Scenario: Deleting an endpoint answers 204 and leaves the others
      Given a health endpoint "E2"
      When I delete health endpoint "E1"
      Then the response status is 204
      And the response body is empty
      And the health endpoints are "E2"
      When I get health endpoint "E1"
      Then the request fails with status 404

    Scenario: Deleting an endpoint that does not exist fails with 404
      Given I delete health endpoint "E1"
      When I delete health endpoint "E1"
      Then the request fails with status 404

    Scenario: Deleting every endpoint answers 204, even when there are none
      Given a health endpoint "E2"
      When I delete every health endpoint
      Then the response status is 204
      And the response body is empty
      And there are no health endpoints
      When I delete every health endpoint
      Then the response status is 204

  @emulator
  Rule: Put Configuration replaces the whole configuration

    Scenario: The level and the endpoints are replaced, the secrets kept unseen
      Given I set the log level to "Warning"
      And the health endpoints "E1" and "E2"
      When I put the configuration:
        """
        {"Logging": {"LogLevel": "debug"}, "HealthEndpoints": [{"Id": "{E3}", "Endpoint": "https://e3.example/omf", "Password": "secret"}]}
        """
      Then the response status is 204
      And the response body is empty
      And the log level is "Debug"
      And the health endpoints are "E3"
      When I get the configuration
      Then the response is a valid "Configuration"
      And the response property "HealthEndpoints.0.Password" is null

    Scenario: What the body leaves out goes back to the defaults
      Given I set the log level to "Warning"
      And a health endpoint "E1"
      When I put the configuration:
        """
        {}
        """
      Then the response status is 204
      And the log level is "Information"
      And there are no health endpoints

    Scenario Outline: A configuration that is not valid fails with 400 and changes nothing
      Given I set the log level to "Warning"
      And a health endpoint "E1"
      And I take note of the emulator state
      When I put the configuration:
        """
        <body>
        """
      Then the request fails with status 400
      And the error response mentions "<mentions>"
      And the emulator state is unchanged

      Examples:
        | body                                                            | mentions        |
        | {"Logging": {"LogLevel": "Loud"}}                               | Loud            |
        | {"Logging": {}}                                                 | LogLevel        |
        | {"Logging": "Debug"}                                            | Logging         |
        | {"HealthEndpoints": [{"Endpoint": "https://e2.example/omf"}]}   | Id              |
        | {"HealthEndpoints": [{"Id": "{E2}", "Endpoint": "e2.example"}]} | Endpoint        |
        | {"HealthEndpoints": {}}                                         | HealthEndpoints |
        | []                                                              | object          |
        | {"Logging": {"LogLevel": "Debug"}                               | JSON            |
