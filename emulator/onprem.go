package emulator

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"

	"github.com/adh-emulator/clientfailover/emulator/configuration"
)

// The handlers of the on-premises service's configuration endpoints
// (/api/v1/configuration). The documentation gives their URLs and verbs,
// not their status codes, which are the emulator's choice: 200 with the
// configuration for a GET, 204 for a PUT or DELETE, 201 with the list of
// what was added for a POST (one endpoint or an array), 404 for an unknown
// Id, 409 for a POST of an Id that exists.

// wireHealthEndpoint is a HealthEndpoint body, validated by its schema.
type wireHealthEndpoint struct {
	Id                          *string
	Endpoint                    *string
	Username                    *string
	Password                    *string
	ClientId                    *string
	ClientSecret                *string
	TokenEndpoint               *string
	ValidateEndpointCertificate *bool
}

func (w wireHealthEndpoint) endpoint() configuration.HealthEndpoint {
	e := configuration.HealthEndpoint{
		Username: w.Username, Password: w.Password, ClientID: w.ClientId,
		ClientSecret: w.ClientSecret, TokenEndpoint: w.TokenEndpoint,
		ValidateEndpointCertificate: true,
	}
	if w.Id != nil {
		e.ID = *w.Id
	}
	if w.Endpoint != nil {
		e.Endpoint = *w.Endpoint
	}
	if w.ValidateEndpointCertificate != nil {
		e.ValidateEndpointCertificate = *w.ValidateEndpointCertificate
	}
	return e
}

// healthEndpointObject answers an endpoint; secrets are write-only.
func healthEndpointObject(e configuration.HealthEndpoint) object {
	e = e.Redacted()
	return object{
		{"Id", e.ID},
		{"Endpoint", e.Endpoint},
		{"Username", e.Username},
		{"Password", e.Password},
		{"ClientId", e.ClientID},
		{"ClientSecret", e.ClientSecret},
		{"TokenEndpoint", e.TokenEndpoint},
		{"ValidateEndpointCertificate", e.ValidateEndpointCertificate},
	}
}

func healthEndpointList(eps []configuration.HealthEndpoint) []object {
	list := make([]object, len(eps))
	for i, e := range eps {
		list[i] = healthEndpointObject(e)
	}
	return list
}

func loggingObject(l configuration.LogLevel) object { return object{{"LogLevel", string(l)}} }

// decodeTree reads the validated body tree into v (a struct of the wire
// types above) through its JSON.
func decodeTree(c *call, v any) error {
	b, err := json.Marshal(c.tree)
	if err != nil {
		return err
	}
	return json.Unmarshal(b, v)
}

// endpointsBody reads one endpoint or an array of them.
func endpointsBody(c *call) ([]configuration.HealthEndpoint, error) {
	var list []wireHealthEndpoint
	if _, isArray := c.tree.([]any); isArray {
		if err := decodeTree(c, &list); err != nil {
			return nil, err
		}
	} else {
		var one wireHealthEndpoint
		if err := decodeTree(c, &one); err != nil {
			return nil, err
		}
		list = []wireHealthEndpoint{one}
	}
	out := make([]configuration.HealthEndpoint, len(list))
	for i, w := range list {
		out[i] = w.endpoint()
	}
	return out, nil
}

// configError maps a configuration error to its status.
func configError(err error) response {
	const resolution = "Correct the configuration (GET /_emulator/openapi.json describes every body)."
	switch {
	case errors.Is(err, configuration.ErrNotFound):
		return errorResponse(http.StatusNotFound, "The health endpoint was not found.", err.Error(), "List the health endpoints with GET /api/v1/configuration/healthEndpoints.")
	case errors.Is(err, configuration.ErrExists):
		return errorResponse(http.StatusConflict, "A health endpoint with the same Id exists.", err.Error(), "Use another Id, or PUT to replace the endpoint.")
	case errors.Is(err, configuration.ErrInvalid):
		return badRequest(err.Error(), resolution)
	}
	return badRequest(fmt.Sprintf("The body is not a valid configuration: %v.", err), resolution)
}

func (s *Server) getConfiguration(c *call) response {
	doc := s.config.Get()
	return response{status: http.StatusOK, body: object{
		{"Logging", loggingObject(doc.LogLevel)},
		{"HealthEndpoints", healthEndpointList(doc.HealthEndpoints)},
	}}
}

func (s *Server) putConfiguration(c *call) response {
	var w struct {
		Logging *struct {
			LogLevel string
		}
		HealthEndpoints []wireHealthEndpoint
	}
	if err := decodeTree(c, &w); err != nil {
		return configError(err)
	}
	doc := configuration.Document{}
	if w.Logging != nil {
		doc.LogLevel = configuration.LogLevel(w.Logging.LogLevel)
	}
	for _, e := range w.HealthEndpoints {
		doc.HealthEndpoints = append(doc.HealthEndpoints, e.endpoint())
	}
	if err := s.config.Set(doc); err != nil {
		return configError(err)
	}
	return response{status: http.StatusNoContent}
}

func (s *Server) getLogging(c *call) response {
	return response{status: http.StatusOK, body: loggingObject(s.config.LogLevel())}
}

func (s *Server) putLogging(c *call) response {
	name, err := c.body.str("LogLevel")
	if err != nil || name == nil {
		return badRequest("property \"LogLevel\" is required: one of Verbose, Debug, Information, Warning, Error, Fatal", "Send {\"LogLevel\": \"Information\"}.")
	}
	level, err := configuration.ParseLogLevel(*name)
	if err == nil {
		err = s.config.SetLogLevel(level)
	}
	if err != nil {
		return configError(err)
	}
	return response{status: http.StatusNoContent}
}

func (s *Server) listHealthEndpoints(c *call) response {
	return response{status: http.StatusOK, body: healthEndpointList(s.config.Endpoints())}
}

func (s *Server) deleteHealthEndpoints(c *call) response {
	s.config.Clear()
	return response{status: http.StatusNoContent}
}

func (s *Server) postHealthEndpoints(c *call) response {
	eps, err := endpointsBody(c)
	if err != nil {
		return configError(err)
	}
	added, err := s.config.Add(eps)
	if err != nil {
		return configError(err)
	}
	return response{status: http.StatusCreated, body: healthEndpointList(added)}
}

func (s *Server) putHealthEndpoints(c *call) response {
	eps, err := endpointsBody(c)
	if err == nil {
		err = s.config.Replace(eps)
	}
	if err != nil {
		return configError(err)
	}
	return response{status: http.StatusNoContent}
}

func (s *Server) getHealthEndpoint(c *call) response {
	e, err := s.config.Endpoint(c.Param("endpoint"))
	if err != nil {
		return configError(err)
	}
	return response{status: http.StatusOK, body: healthEndpointObject(e)}
}

func (s *Server) putHealthEndpoint(c *call) response {
	var w wireHealthEndpoint
	if err := decodeTree(c, &w); err != nil {
		return configError(err)
	}
	if err := s.config.Update(c.Param("endpoint"), w.endpoint()); err != nil {
		return configError(err)
	}
	return response{status: http.StatusNoContent}
}

func (s *Server) deleteHealthEndpoint(c *call) response {
	if err := s.config.Delete(c.Param("endpoint")); err != nil {
		return configError(err)
	}
	return response{status: http.StatusNoContent}
}
