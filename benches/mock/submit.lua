-- wrk script: POST the body in $ORUX_BENCH_BODY to /api/v1/tasks.
wrk.method = "POST"
wrk.path = "/api/v1/tasks"
wrk.body = os.getenv("ORUX_BENCH_BODY")
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer sk-app-bench"
