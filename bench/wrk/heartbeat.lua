-- Heartbeats of the generally available surface (FailoverScore) to the 50
-- sessions s0…s49 of the group hb, round robin, with scores that move, so
-- roles change as they would with real clients. The requests are formatted
-- once, in init.
local base = "/api/v1/tenants/bench/namespaces/ns/clientfailover/groups/hb/clientsessions/s"
local reqs, n, i = {}, 0, 0

function init(args)
  local headers = { ["Content-Type"] = "application/json" }
  for round = 0, 100 do
    for s = 0, 49 do
      local score = (round * 37 + s * 13) % 101
      local body = string.format('{"FailoverScore": %d, "LastDataProcessedTime": "2026-01-01T00:%02d:%02dZ"}',
        score, round % 60, s % 60)
      reqs[#reqs + 1] = wrk.format("POST", base .. s .. "/heartbeat", headers, body)
    end
  end
  n = #reqs
end

function request()
  i = i % n + 1
  return reqs[i]
end
