#include "sim/metrics/intervals.hpp"

#include <catch2/catch.hpp>
