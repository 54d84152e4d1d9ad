package emulator

import (
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/adh-emulator/clientfailover/emulator/dashboard"
	"github.com/adh-emulator/clientfailover/emulator/operation"
)

// DashboardPath is where the dashboard (a web page) is served.
const DashboardPath = ControlPrefix + "/ui/"

// newDashboard renders the dashboard's page for this emulator.
func newDashboard() (*dashboard.Page, error) {
	var ops []string
	for _, op := range operation.All() {
		ops = append(ops, string(op))
	}
	return dashboard.New(dashboard.Info{Operations: ops})
}

// dashboardRoutes serves the dashboard. Its assets hold no data, so they
// are served without the admin token (the page then asks for it); every
// call the page makes goes to the control API, which checks the token.
func (s *Server) dashboardRoutes(e *gin.Engine) {
	e.GET(strings.TrimSuffix(DashboardPath, "/"), func(c *gin.Context) {
		// Relative, so it works behind a proxy's path prefix too.
		c.Header("Location", "ui/")
		c.Status(http.StatusMovedPermanently)
	})
	notFound := s.unmatched(http.StatusNotFound)
	e.GET(DashboardPath+"*file", func(c *gin.Context) {
		if !s.page.Serve(c.Writer, c.Request, strings.TrimPrefix(c.Param("file"), "/")) {
			notFound(c)
		}
	})
}
