package emulator

// TEMPORARY: the schema names of the schemas branch, until it lands.
const (
	tmpOnPremConfiguration        = "onprem/Configuration"
	tmpOnPremLoggingConfiguration = "onprem/LoggingConfiguration"
	tmpOnPremHealthEndpointOrList = "onprem/HealthEndpointOrList"
	tmpOnPremHealthEndpointList   = "onprem/HealthEndpointList"
	tmpOnPremHealthEndpoint       = "onprem/HealthEndpoint"
)
