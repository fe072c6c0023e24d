# Installs the engine for other CMake projects: `cmake --install build --prefix P`, then in the other project
#   find_package(kzg CONFIG REQUIRED)   # with CMAKE_PREFIX_PATH=P
#   target_link_libraries(app PRIVATE kzg::engine)
# The public entry point is engine/kzg.hpp; the layer headers it includes are installed beside it because the
# public types (KzgSettings, the points) are defined there.
include(CMakePackageConfigHelpers)
include(GNUInstallDirs)

set(_kzg_layers kzg_common kzg_field kzg_curve kzg_pairing kzg_poly kzg_setup kzg_spec kzg_dispatch)
foreach(_layer IN LISTS _kzg_layers)
  string(REPLACE "kzg_" "" _export_name ${_layer})
  set_target_properties(${_layer} PROPERTIES EXPORT_NAME ${_export_name})
endforeach()
set_target_properties(kzg_engine PROPERTIES EXPORT_NAME engine)

install(TARGETS ${_kzg_layers} kzg_engine EXPORT kzgTargets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
        INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/engine/ DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/engine
        FILES_MATCHING PATTERN "*.hpp")
install(EXPORT kzgTargets NAMESPACE kzg:: DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/kzg)

configure_package_config_file(${CMAKE_CURRENT_LIST_DIR}/kzgConfig.cmake.in
                              ${CMAKE_BINARY_DIR}/kzgConfig.cmake
                              INSTALL_DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/kzg)
write_basic_package_version_file(${CMAKE_BINARY_DIR}/kzgConfigVersion.cmake COMPATIBILITY SameMinorVersion)
install(FILES ${CMAKE_BINARY_DIR}/kzgConfig.cmake ${CMAKE_BINARY_DIR}/kzgConfigVersion.cmake
        DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/kzg)
