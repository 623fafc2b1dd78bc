#!/usr/bin/env bash
# Makes a fake-camera video for Chromium's --use-file-for-fake-video-capture from one or two photographs:
# 640x480, YUV 4:2:0 .y4m (what Chromium's fake capture reads), a slow zoom so that it is a moving picture.
# One photo = one face; two photos are put side by side (two people in front of the camera).
#   scripts/fake-camera.sh OUT.y4m PHOTO [PHOTO2]      (env SECONDS_LONG=5, FPS=15)
# Chromium loops the file. Needs Debian's ffmpeg (scripts/ensure-browser.sh installs it).
set -euo pipefail
if [ $# -lt 2 ] || [ $# -gt 3 ]; then
  echo "usage: $0 OUT.y4m PHOTO [PHOTO2]" >&2
  exit 2
fi
out=$1
seconds=${SECONDS_LONG:-5}
fps=${FPS:-15}
frames=$((seconds * fps))
# zoom in and out by 4 % over two seconds, centred
zoom="zoompan=z='1.02+0.02*sin(2*PI*on/(2*${fps}))':x='iw/2-(iw/zoom/2)':y='ih/2-(ih/zoom/2)':d=1:s=640x480:fps=${fps},format=yuv420p"
fit() { echo "scale=$1:$2:force_original_aspect_ratio=decrease,pad=$1:$2:(ow-iw)/2:(oh-ih)/2:gray"; }
tmp="${out}.part.y4m"
if [ $# -eq 2 ]; then
  ffmpeg -hide_banner -loglevel error -nostdin -y -loop 1 -framerate "$fps" -i "$2" \
    -vf "$(fit 640 480),${zoom}" -frames:v "$frames" -f yuv4mpegpipe "$tmp"
else
  ffmpeg -hide_banner -loglevel error -nostdin -y -loop 1 -framerate "$fps" -i "$2" -loop 1 -framerate "$fps" -i "$3" \
    -filter_complex "[0]$(fit 320 480)[a];[1]$(fit 320 480)[b];[a][b]hstack,${zoom}" \
    -frames:v "$frames" -f yuv4mpegpipe "$tmp"
fi
mv -f "$tmp" "$out"
echo "$out"
