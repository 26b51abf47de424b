#pragma once
// Every pin the firmware uses, for both boards. The wiring table and diagram in README.md follow this file.
#include <stdint.h>

#if defined(CONFIG_IDF_TARGET_ESP32S3)
// ESP32-S3-DevKitC-1. No DAC on the S3: the speed output is PWM through an RC filter.
constexpr uint8_t PIN_I2C_SDA = 8;   // MPU6050 SDA
constexpr uint8_t PIN_I2C_SCL = 9;   // MPU6050 SCL
constexpr uint8_t PIN_ONEWIRE = 4;   // DS18B20 data (4.7 kΩ pull-up to 3.3 V)
constexpr uint8_t PIN_DHT = 5;       // DHT22 data, when temp_sensor is dht22
constexpr uint8_t PIN_HALL = 6;      // hall sensor / encoder output (open collector, internal pull-up)
constexpr uint8_t PIN_RELAY = 7;     // relay module input, HIGH = energised = STOP
constexpr uint8_t PIN_SPEED_OUT = 10;  // PWM speed reference
constexpr uint8_t PIN_LED = 2;       // external LED + 330 Ω (the on-board LED is an RGB WS2812)
#define MT_HAS_DAC 0
#else
// ESP32 DevKit (esp32dev).
constexpr uint8_t PIN_I2C_SDA = 21;
constexpr uint8_t PIN_I2C_SCL = 22;
constexpr uint8_t PIN_ONEWIRE = 4;
constexpr uint8_t PIN_DHT = 16;
constexpr uint8_t PIN_HALL = 27;     // not 34-39: those have no pull-up
constexpr uint8_t PIN_RELAY = 26;
constexpr uint8_t PIN_SPEED_OUT = 25;  // DAC1, 0-3.3 V in 256 steps
constexpr uint8_t PIN_LED = 2;       // on-board blue LED
#define MT_HAS_DAC 1
#endif

constexpr uint8_t MPU6050_ADDRESS = 0x68;  // AD0 low
constexpr uint8_t SPEED_PWM_CHANNEL = 0;
constexpr uint32_t SPEED_PWM_HZ = 5000;
constexpr uint8_t SPEED_PWM_BITS = 10;
