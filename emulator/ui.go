package emulator

import (
	"net/http"
	"strings"
	"sync"

	"github.com/gin-gonic/gin"

	"github.com/adh-emulator/clientfailover/emulator/dashboard"
	"github.com/adh-emulator/clientfailover/emulator/operation"
)

// DashboardPath is where the dashboard (a web page) is served.
const DashboardPath = ControlPrefix + "/ui/"

// dashboardPage is the process's dashboard: its assets are the same for
// every server and read-only, so they are rendered once.
var dashboardPage = sync.OnceValues(newDashboard)

// newDashboard renders the dashboard's page.
func newDashboard() (*dashboard.Page, error) {
	var ops []string
	for _, op := range operation.All() {
		ops = append(ops, string(op))
	}
	return dashboard.New(dashboard.Info{Operations: ops})
}

// The dashboard's routes (in the control API's table). Its files hold no
// data, so they are served without the admin token (the page then asks for
// it); every call the page makes goes to the control API, which checks it.

// dashboardRedirect sends /_emulator/ui to the page, relatively, so it
// works behind a proxy's path prefix too.
func (s *Server) dashboardRedirect(c *gin.Context) {
	c.Header("Location", "ui/")
	c.Status(http.StatusMovedPermanently)
}

// dashboardFile serves the page or one of its files.
func (s *Server) dashboardFile(c *gin.Context) {
	if !s.page.Serve(c.Writer, c.Request, strings.TrimPrefix(c.Param("file"), "/")) {
		s.serveUnmatched(c, http.StatusNotFound)
	}
}
