// The one translation unit that compiles Asio and Beast (separate compilation keeps the
// implementation out of every other file and saves minutes of build time on 2 cores).
#include <boost/asio/impl/src.hpp>
#include <boost/beast/src.hpp>
