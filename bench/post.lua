-- wrk script: POST the photo named by the environment variable PHOTO as image/jpeg; with STREAM set, as frames of
-- that webcam stream (the X-Fer-Stream header: each frame is searched near the last one's faces first).
local f = assert(io.open(os.getenv("PHOTO"), "rb"))
wrk.method = "POST"
wrk.body = f:read("*a")
f:close()
wrk.headers["Content-Type"] = "image/jpeg"
local stream = os.getenv("STREAM")
if stream and stream ~= "" then
  wrk.headers["X-Fer-Stream"] = stream
end
