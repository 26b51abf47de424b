#!/bin/sh
# USB serial boards (CP210x, CH340, FTDI, ESP32 native USB) appear as /dev/ttyUSB* or /dev/ttyACM*, owned
# by the dialout group. Say how to get access rather than changing anyone's groups.
echo "MotorTwin: to use sensor boards over USB, add yourself to the dialout group: sudo usermod -aG dialout \$USER (then log in again)."
